{{ config(materialized='table') }}
{#- The leads added in the last 10 days, today included. -#}
select company, first_name, last_name, title, country, email, added_at
from {{ ref('stg_leads') }}
where cast(added_at as date) > {{ as_of() }} - interval 10 day
  and cast(added_at as date) <= {{ as_of() }}
order by added_at desc
