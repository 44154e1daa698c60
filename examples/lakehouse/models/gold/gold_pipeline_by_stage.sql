{{ config(materialized='table') }}
{#- The deal pipeline by stage and company: deals, the amount (per currency, never added across currencies) and the
    deals without an amount. Deals without a company are under company_id null, '(no company)'. -#}
select
    d.stage,
    d.outcome,
    d.company_id,
    coalesce(c.company_name, '(no company)') as company_name,
    d.currency,
    count(*) as deals,
    cast(coalesce(sum(d.amount), 0) as decimal(18, 2)) as amount,
    sum(case when d.amount is null then 1 else 0 end) as deals_without_amount
from {{ ref('silver_deals') }} d
left join {{ ref('silver_companies') }} c on c.company_id = d.company_id
group by d.stage, d.outcome, d.company_id, coalesce(c.company_name, '(no company)'), d.currency
