{{ config(materialized='table') }}
{#- Live HubSpot contacts, one row per id (the newest version), emails normalised for matching. -#}
with ranked as (
{{ latest_live_rows(source('hubspot', 'contacts')) }}
)
select
    cast(id as bigint) as contact_id,
    nullif(lower(trim(email)), '') as email,
    firstname as first_name,
    lastname as last_name,
    coalesce(lifecyclestage, 'unknown') as lifecycle_stage,
    cast(associatedcompanyid as bigint) as company_id,
    cast(createdat as timestamp) as created_at,
    cast(updatedat as timestamp) as updated_at,
    cast(_tributary_extracted_at as timestamp) as loaded_at
from ranked
where version = 1
