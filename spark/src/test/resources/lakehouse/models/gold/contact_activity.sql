{{ config(materialized='incremental', unique_key='contact_id') }}
select contact_id, count(*) as events, max(occurred_at) as last_seen
from {{ ref('raw_events') }}
{% if is_incremental() %}
where contact_id in (select contact_id from {{ ref('raw_events') }} where occurred_at > (select max(last_seen) from {{ this }}))
{% endif %}
group by contact_id
