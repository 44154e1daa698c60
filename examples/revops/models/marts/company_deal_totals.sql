{{ config(materialized='table') }}
{#- Deals per company and currency: how many are open, won and lost, and their amounts (deals without an amount are
    counted, their amount is not). CASE rather than FILTER (WHERE ...), which Snowflake does not have. -#}
select
    company_id,
    company_name,
    currency,
    count(*) as deals,
    count(case when outcome = 'open' then 1 end) as open_deals,
    count(case when outcome = 'won' then 1 end) as won_deals,
    count(case when outcome = 'lost' then 1 end) as lost_deals,
    count(case when amount is null then 1 end) as deals_without_amount,
    coalesce(sum(case when outcome = 'open' then amount end), 0) as open_amount,
    coalesce(sum(case when outcome = 'won' then amount end), 0) as won_amount,
    coalesce(sum(case when outcome = 'lost' then amount end), 0) as lost_amount
from {{ ref('company_deals') }}
where company_id is not null
group by 1, 2, 3
