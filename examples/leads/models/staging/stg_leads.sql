{#- One row per lead after cleaning: names and companies trimmed, compared without case; countries mapped to one
    name (codes and other spellings through the country_aliases seed); emails trimmed and lower case. A lead
    typed twice differently is one lead, first added at the earliest time. -#}
with cleaned as (
    select
        {{ clean_text('l.company') }} as company,
        lower({{ clean_text('l.company') }}) as company_key,
        {{ clean_text('l.first_name') }} as first_name,
        {{ clean_text('l.last_name') }} as last_name,
        lower({{ clean_text('l.first_name') }}) as first_name_key,
        lower({{ clean_text('l.last_name') }}) as last_name_key,
        {{ clean_text('l.title') }} as title,
        coalesce(a.country, {{ clean_text('l.country') }}) as country,
        nullif(lower(trim(l.email)), '') as email,
        l.added_at
    from {{ source('leads_sheet', 'leads') }} l
    left join {{ ref('country_aliases') }} a on a.alias = lower({{ clean_text('l.country') }})
    -- a row whose added_at is not a time ("last tuesday") stays in leads_sheet.leads with its text in _invalid_values
    where l.added_at is not null
)
select company, company_key, first_name, last_name, first_name_key, last_name_key, title, country, email, added_at
from cleaned
qualify row_number() over (partition by company_key, first_name_key, last_name_key, country order by added_at, title, first_name, last_name) = 1
