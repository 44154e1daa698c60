{#- One row per datepart from start_date (included) to end_date (excluded), in a column date_<datepart>. -#}
{% macro date_spine(datepart, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'introspect_utils')(datepart, start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) -%}
with numbers as (
    {{ introspect_utils.generate_series(introspect_utils.get_intervals_between(start_date, end_date, datepart)) }}
),
all_periods as (
    select ({{ dbt.dateadd(datepart, 'generated_number - 1', start_date) }}) as date_{{ datepart }}
    from numbers
),
filtered as (
    select * from all_periods where date_{{ datepart }} < {{ end_date }}
)
select cast(date_{{ datepart }} as date) as date_{{ datepart }} from filtered
{%- endmacro %}

{#- How many dateparts lie between two dates, asked of the warehouse (1 while parsing). -#}
{% macro get_intervals_between(start_date, end_date, datepart) -%}
    {{ return(adapter.dispatch('get_intervals_between', 'introspect_utils')(start_date, end_date, datepart)) }}
{%- endmacro %}

{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
    {%- if not execute -%}{{ return(1) }}{%- endif -%}
    {%- set result = run_query('select ' ~ dbt.datediff(start_date, end_date, datepart)) -%}
    {%- set intervals = result.rows[0][0] | int -%}
    {%- if intervals <= 0 -%}
        {{ exceptions.raise_compiler_error('date_spine: ' ~ end_date ~ ' is not after ' ~ start_date) }}
    {%- endif -%}
    {{ return(intervals) }}
{%- endmacro %}

{#- The numbers 1..upper_bound, from cross joins of {0, 1}, one per bit. -#}
{% macro generate_series(upper_bound) -%}
    {{ return(adapter.dispatch('generate_series', 'introspect_utils')(upper_bound)) }}
{%- endmacro %}

{% macro default__generate_series(upper_bound) -%}
    {%- set bits = introspect_utils.get_powers_of_two(upper_bound) -%}
    with p as (select 0 as generated_number union all select 1),
    unioned as (
        select {% for i in range(bits) %}p{{ i }}.generated_number * {{ 2 ** i }}{% if not loop.last %} + {% endif %}{% endfor %} + 1 as generated_number
        from {% for i in range(bits) %}p as p{{ i }}{% if not loop.last %} cross join {% endif %}{% endfor %}
    )
    select * from unioned where generated_number <= {{ upper_bound }}
{%- endmacro %}

{% macro get_powers_of_two(upper_bound) -%}
    {%- if upper_bound <= 0 -%}{{ exceptions.raise_compiler_error('generate_series needs a positive upper bound, got ' ~ upper_bound) }}{%- endif -%}
    {%- for bits in range(1, 32) if upper_bound <= 2 ** bits -%}
        {{ return(bits) }}
    {%- endfor -%}
{%- endmacro %}
