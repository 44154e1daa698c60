{{ config(materialized='table') }}
{#- Live HubSpot companies, one row per id, the domain normalised. -#}
with ranked as (
{{ latest_live_rows(source('hubspot', 'companies')) }}
)
select
    cast(id as bigint) as company_id,
    coalesce(name, '(no name)') as company_name,
    nullif(lower(trim(domain)), '') as domain,
    industry,
    country,
    cast(createdat as timestamp) as created_at,
    cast(_tributary_extracted_at as timestamp) as loaded_at
from ranked
where version = 1
