{#- Live HubSpot companies (not archived, not merged away, not deleted), with the keys the matching uses. -#}
select
    cast(id as bigint) as company_id,
    trim(name) as company_name,
    {{ company_name_key('name') }} as name_key,
    {{ domain_key('domain') }} as domain,
    industry,
    country,
    createdat as created_at,
    updatedat as updated_at
from {{ source('hubspot', 'companies') }}
where not coalesce(archived, false)
  and merged_into_id is null
  and _tributary_deleted_at is null
