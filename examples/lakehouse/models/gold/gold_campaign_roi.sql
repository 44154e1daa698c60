{{ config(materialized='table') }}
{#- Per campaign: what it cost, the traffic and sign-ups it brought, what those users bought in the product and the
    deals won with them in HubSpot (first touch: a user belongs to the campaign of their first sign-up), and the ROI. -#}
with attributed as (
    select * from {{ ref('gold_funnel') }}
)
select
    c.campaign_id,
    c.campaign_name,
    case c.channel when 'partner' then 'Partners'' referrals' when 'paid_search' then 'Paid search' else c.channel end as channel_label,
    c.spend,
    c.is_credit,
    a.sessions,
    a.signups,
    a.product_revenue,
    a.won_amount,
    a.product_revenue + a.won_amount as attributed_revenue,
    case when c.spend > 0 then round(cast(a.product_revenue + a.won_amount - c.spend as double) / cast(c.spend as double), 4) end as roi
from {{ ref('silver_campaigns') }} c
join attributed a on a.utm_campaign = c.utm_campaign
