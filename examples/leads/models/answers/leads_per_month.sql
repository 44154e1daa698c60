{{ config(materialized='table') }}
{#- Leads added per month this year (months without leads are left out). -#}
select
    cast(date_trunc('month', added_at) as date) as month,
    count(*) as leads
from {{ ref('stg_leads') }}
where added_at >= date_trunc('year', {{ as_of() }})
  and cast(added_at as date) <= {{ as_of() }}
group by 1
order by 1
