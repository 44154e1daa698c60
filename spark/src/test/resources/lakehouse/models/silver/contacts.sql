-- typed, de-duplicated: the newest version of each contact
with ranked as (
    select id, lower(email) as email, company_id, updated_at,
           row_number() over (partition by id order by updated_at desc) as rn
    from {{ ref('raw_contacts') }}
)
select id as contact_id, email, company_id, updated_at from ranked where rn = 1
