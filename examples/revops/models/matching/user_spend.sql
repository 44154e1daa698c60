{{ config(materialized='table') }}
{#- Lifetime spend per user and currency: paid minus refunded (failed payments count nothing). -#}
select
    user_id,
    currency,
    sum(net_amount) as lifetime_spend,
    sum(case when status = 'paid' then amount else 0 end) as paid_amount,
    sum(case when status = 'refunded' then -abs(amount) else 0 end) as refunded_amount,
    count(*) as transactions
from {{ ref('stg_product__transactions') }}
group by 1, 2
