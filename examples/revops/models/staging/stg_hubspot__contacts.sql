{#- Live HubSpot contacts; email_key is the email trimmed and in lower case (null when empty). -#}
select
    cast(id as bigint) as contact_id,
    email,
    {{ email_key('email') }} as email_key,
    firstname as first_name,
    lastname as last_name,
    cast(associatedcompanyid as bigint) as company_id,
    lifecyclestage as lifecycle_stage,
    createdat as created_at,
    updatedat as updated_at
from {{ source('hubspot', 'contacts') }}
where not coalesce(archived, false)
  and merged_into_id is null
  and _tributary_deleted_at is null
