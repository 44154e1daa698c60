{{ config(materialized='ephemeral') }}
select * from {{ ref('deals') }} where stage = 'won'
