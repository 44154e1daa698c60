{{ config(materialized='table') }}
{#- Web sessions; a negative duration (a tracker's clock skew) is unknown, not negative. -#}
select
    cast(session_id as bigint) as session_id,
    cast(started_at as timestamp) as started_at,
    lower(utm_campaign) as utm_campaign,
    landing_page,
    pageviews,
    case when duration_seconds >= 0 then duration_seconds end as duration_seconds
from {{ source('redshift', 'web_analytics') }}
where _tributary_deleted_at is null
