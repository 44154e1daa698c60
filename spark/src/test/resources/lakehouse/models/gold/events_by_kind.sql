{{ config(materialized='incremental', unique_key='contact_id', incremental_strategy='delete+insert') }}
-- several rows per contact_id (one per kind of event): the contacts with new events are recomputed whole
select contact_id, kind, count(*) as events, max(event_id) as last_event_id
from {{ ref('raw_events') }}
{% if is_incremental() %}
where contact_id in (select contact_id from {{ ref('raw_events') }} where event_id > (select max(last_event_id) from {{ this }}))
{% endif %}
group by contact_id, kind
