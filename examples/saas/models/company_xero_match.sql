{#- Which Xero contacts are which HubSpot company: the contact's e-mail domain equals the company's domain, or else
    their names are equal (ignoring case and surrounding spaces). A company can match several contacts. -#}
with companies as (
    select
        cast(id as bigint) as company_id,
        trim(name) as company_name,
        lower(trim(name)) as name_key,
        nullif(lower(regexp_replace(trim(coalesce(domain, '')), '^(https?://)?(www\.)?', '')), '') as domain
    from {{ source('hubspot', 'companies') }}
    where not coalesce(archived, false)
      and _tributary_deleted_at is null
),
contacts as (
    select
        tenant_id,
        contactid as contact_id,
        trim(name) as contact_name,
        lower(trim(name)) as name_key,
        nullif(lower(split_part(coalesce(emailaddress, ''), '@', 2)), '') as domain
    from {{ source('xero', 'contacts') }}
    where _tributary_deleted_at is null
)
select
    c.company_id,
    c.company_name,
    x.tenant_id,
    x.contact_id,
    x.contact_name,
    case when c.domain is not null and c.domain = x.domain then 'domain' else 'name' end as matched_by
from companies c
join contacts x on (c.domain is not null and c.domain = x.domain) or c.name_key = x.name_key
