{{ config(materialized='table') }}
{#- Marketing campaigns; a negative spend (a credit note) is kept as booked, and flagged. -#}
select
    cast(campaign_id as bigint) as campaign_id,
    name as campaign_name,
    channel,
    lower(utm_campaign) as utm_campaign,
    cast(budget as decimal(18, 2)) as budget,
    cast(spend as decimal(18, 2)) as spend,
    spend < 0 as is_credit,
    starts_on,
    ends_on
from {{ source('redshift', 'campaigns') }}
where _tributary_deleted_at is null
