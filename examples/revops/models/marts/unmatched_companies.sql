{{ config(materialized='table') }}
{#- Live HubSpot companies no product team was matched to. -#}
select
    c.company_id,
    c.company_name,
    c.domain,
    (select count(*) from {{ ref('stg_hubspot__contacts') }} ct where ct.company_id = c.company_id) as contacts
from {{ ref('stg_hubspot__companies') }} c
where not exists (select 1 from {{ ref('team_company_matches') }} m where m.company_id = c.company_id)
