{#- Whole hours elapsed from one timestamp to another (59 minutes is 0). Not dbt's datediff: on DuckDB, PostgreSQL and
    Snowflake it counts hour boundaries crossed (10:59 to 11:01 is 1), on Spark it counts elapsed hours, so the same
    model would give different numbers. -#}
{% macro elapsed_hours(start, end) %}{% if target.type == 'spark' %}timestampdiff(HOUR, {{ start }}, {{ end }}){% elif target.type == 'postgres' %}floor(extract(epoch from ({{ end }} - {{ start }})) / 3600){% else %}date_sub('hour', {{ start }}, {{ end }}){% endif %}{% endmacro %}
