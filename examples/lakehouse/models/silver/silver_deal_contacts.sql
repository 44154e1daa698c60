{{ config(materialized='table') }}
{#- Which contacts each deal has (HubSpot's deal-to-contact associations, each pair once). -#}
select distinct cast(from_id as bigint) as deal_id, cast(to_id as bigint) as contact_id
from {{ source('hubspot', 'deal_contact') }}
where _tributary_deleted_at is null
