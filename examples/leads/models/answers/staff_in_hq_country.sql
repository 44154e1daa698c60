{{ config(materialized='table') }}
{#- Per company: its leads (staff) and how many of them work in the company's headquarters country. -#}
select
    c.company,
    c.hq_country,
    count(*) as staff,
    count(*) filter (where l.country = c.hq_country) as staff_in_hq_country,
    round(100.0 * count(*) filter (where l.country = c.hq_country) / count(*), 1) as percent_in_hq_country
from {{ ref('stg_leads') }} l
join {{ ref('stg_companies') }} c on c.company_key = l.company_key
group by c.company, c.hq_country
order by staff_in_hq_country desc, c.company
