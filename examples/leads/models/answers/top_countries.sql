{{ config(materialized='table') }}
{#- The 20 countries with the most leads (ties broken by name). -#}
select
    row_number() over (order by count(*) desc, country) as rank,
    country,
    count(*) as leads
from {{ ref('stg_leads') }}
group by country
order by rank
limit 20
