{{ config(materialized='table') }}
{#- Live HubSpot companies, one row per id, the domain normalised. -#}
with ranked as (
    select c.*, row_number() over (partition by c.id order by c.updatedat desc, c._tributary_extracted_at desc) as version
    from {{ source('hubspot', 'companies') }} c
    where not coalesce(c.archived, false) and c.merged_into_id is null and c._tributary_deleted_at is null
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
