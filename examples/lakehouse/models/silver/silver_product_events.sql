{{ config(materialized='table') }}
{#- Product events by user: emails trimmed and lower-cased to match HubSpot's; events without a valid email are kept
    (anonymous), with email null and email_valid false. -#}
select
    cast(event_id as bigint) as event_id,
    cast(occurred_at as timestamp) as occurred_at,
    case when ({{ tributary_is_email('lower(trim(email))') }}) then lower(trim(email)) end as email,
    coalesce({{ tributary_is_email('lower(trim(email))') }}, false) as email_valid,
    event_type,
    lower(utm_campaign) as utm_campaign,
    cast(revenue as decimal(18, 2)) as revenue
from {{ source('redshift', 'product_events') }}
where _tributary_deleted_at is null
