{#- One row per company and headquarters country (the sheet lists some companies twice). -#}
with cleaned as (
    select
        {{ clean_text('c.company') }} as company,
        lower({{ clean_text('c.company') }}) as company_key,
        coalesce(a.country, {{ clean_text('c.hq_country') }}) as hq_country,
        c.employees,
        c.founded,
        c.domain
    from {{ source('lead_export', 'companies') }} c
    left join {{ ref('country_aliases') }} a on a.alias = lower({{ clean_text('c.hq_country') }})
)
select * from cleaned
qualify row_number() over (partition by company_key, hq_country order by employees desc, founded) = 1
