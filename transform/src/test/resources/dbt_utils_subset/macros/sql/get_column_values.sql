{#- The distinct values of a column, as a list, read with run_query when executing (the default while parsing). -#}
{% macro get_column_values(table, column, order_by='count(*) desc', max_records=none, default=none, where=none) -%}
    {{ return(adapter.dispatch('get_column_values', 'dbt_utils')(table, column, order_by, max_records, default, where)) }}
{%- endmacro %}

{% macro default__get_column_values(table, column, order_by, max_records, default, where) -%}
    {%- set fallback = [] if default is none else default -%}
    {%- if not execute -%}{{ return(fallback) }}{%- endif -%}
    {%- set existing = load_relation(table) -%}
    {%- if existing is none -%}
        {%- do log('get_column_values: ' ~ table ~ ' does not exist yet, using the default', info=True) -%}
        {{ return(fallback) }}
    {%- endif -%}
    {%- set query -%}
        select {{ column }} as value
        from {{ existing }}
        {% if where is not none %}where {{ where }}{% endif %}
        group by {{ column }}
        order by {{ order_by }}
        {% if max_records is not none %}limit {{ max_records }}{% endif %}
    {%- endset -%}
    {%- set results = run_query(query) -%}
    {{ return(results.columns[0].values() | list) }}
{%- endmacro %}
