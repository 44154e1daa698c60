{{ config(materialized='table') }}
{#- Deals per company and currency: how many are open, won and lost, and their amounts (deals without an amount are
    counted, their amount is not). -#}
select
    company_id,
    company_name,
    currency,
    count(*) as deals,
    count(*) filter (where outcome = 'open') as open_deals,
    count(*) filter (where outcome = 'won') as won_deals,
    count(*) filter (where outcome = 'lost') as lost_deals,
    count(*) filter (where amount is null) as deals_without_amount,
    coalesce(sum(amount) filter (where outcome = 'open'), 0) as open_amount,
    coalesce(sum(amount) filter (where outcome = 'won'), 0) as won_amount,
    coalesce(sum(amount) filter (where outcome = 'lost'), 0) as lost_amount
from {{ ref('company_deals') }}
where company_id is not null
group by 1, 2, 3
