{{ config(materialized='view') }}
select * from {{ ref('raw_events') }} where occurred_at >= cast('2024-01-11 00:00:00' as timestamp)
