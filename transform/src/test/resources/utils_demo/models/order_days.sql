{{ dbt_utils.date_spine('day', "cast('2024-01-03' as date)", "cast('2024-01-13' as date)") }}
