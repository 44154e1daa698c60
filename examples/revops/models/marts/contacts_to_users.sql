{{ config(materialized='table') }}
{#- Each HubSpot contact with an email, linked to the product user with the same email (trimmed, lower case), and
    that user's lifetime spend: one row per currency the user paid in (refunds negative, failed payments nothing),
    one row with no currency and 0 when the contact is no user or never paid. -#}
select
    c.contact_id,
    c.email as contact_email,
    c.company_id,
    u.user_id,
    u.email as user_email,
    case when u.user_id is not null then 'email' end as match_method,
    s.currency,
    coalesce(s.lifetime_spend, 0) as lifetime_spend,
    coalesce(s.paid_amount, 0) as paid_amount,
    coalesce(s.refunded_amount, 0) as refunded_amount,
    coalesce(s.transactions, 0) as transactions
from {{ ref('stg_hubspot__contacts') }} c
left join {{ ref('stg_product__users') }} u on u.email_key = c.email_key
left join {{ ref('user_spend') }} s on s.user_id = u.user_id
where c.email_key is not null
