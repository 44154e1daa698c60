{{ introspect_utils.date_spine('month', "cast('2024-01-01' as date)", "cast('2025-01-01' as date)") }}
