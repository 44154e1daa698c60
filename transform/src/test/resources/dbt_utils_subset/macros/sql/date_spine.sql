{#- Every datepart from start_date (included) to end_date (excluded), one row each, column date_<datepart>. -#}
{% macro date_spine(datepart, start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine', 'dbt_utils')(datepart, start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) -%}
with rawdata as (
    {{ dbt_utils.generate_series(dbt_utils.get_intervals_between(start_date, end_date, datepart)) }}
),
all_periods as (
    select ({{ dbt.dateadd(datepart, "row_number() over (order by generated_number) - 1", start_date) }}) as date_{{ datepart }}
    from rawdata
),
filtered as (
    select * from all_periods where date_{{ datepart }} < {{ end_date }}
)
select cast(date_{{ datepart }} as date) as date_{{ datepart }} from filtered
{%- endmacro %}

{#- How many dateparts lie between two dates: asked of the warehouse through statement/load_result (1 while parsing). -#}
{% macro get_intervals_between(start_date, end_date, datepart) -%}
    {{ return(adapter.dispatch('get_intervals_between', 'dbt_utils')(start_date, end_date, datepart)) }}
{%- endmacro %}

{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
    {%- call statement('get_intervals_between', fetch_result=True) %}
        select {{ dbt.datediff(start_date, end_date, datepart) }}
    {%- endcall -%}
    {%- set result = load_result('get_intervals_between') -%}
    {%- if result and result['data'] -%}
        {{ return(result['data'][0][0] | int) }}
    {%- else -%}
        {{ return(1) }}
    {%- endif -%}
{%- endmacro %}

{#- The numbers 1..upper_bound, from cross joins of {0, 1} (one per bit). -#}
{% macro generate_series(upper_bound) -%}
    {{ return(adapter.dispatch('generate_series', 'dbt_utils')(upper_bound)) }}
{%- endmacro %}

{% macro default__generate_series(upper_bound) -%}
    {%- set bits = dbt_utils.get_powers_of_two(upper_bound) -%}
    with p as (select 0 as generated_number union all select 1),
    unioned as (
        select {% for i in range(bits) %}p{{ i }}.generated_number * {{ 2 ** i }}{% if not loop.last %} + {% endif %}{% endfor %} + 1 as generated_number
        from {% for i in range(bits) %}p as p{{ i }}{% if not loop.last %} cross join {% endif %}{% endfor %}
    )
    select * from unioned where generated_number <= {{ upper_bound }}
{%- endmacro %}

{% macro get_powers_of_two(upper_bound) -%}
    {%- if upper_bound <= 0 -%}{{ exceptions.raise_compiler_error('generate_series needs a positive upper bound, got ' ~ upper_bound) }}{%- endif -%}
    {%- for bits in range(1, 32) -%}
        {%- if upper_bound <= 2 ** bits -%}{{ return(bits) }}{%- endif -%}
    {%- endfor -%}
{%- endmacro %}
