{{ config(materialized='table') }}
{#- Total spend per team and currency, as user_spend counts it. -#}
select
    team_id,
    currency,
    sum(net_amount) as total_spend,
    count(distinct user_id) as paying_users,
    count(*) as transactions
from {{ ref('stg_product__transactions') }}
group by 1, 2
