{#- One aggregate column per value: agg(case when column cmp 'value' then then_value else else_value end). -#}
{% macro pivot(column, values, alias=True, agg='sum', cmp='=', prefix='', suffix='', then_value=1, else_value=0, quote_identifiers=True, distinct=False) -%}
    {{ return(adapter.dispatch('pivot', 'introspect_utils')(column, values, alias, agg, cmp, prefix, suffix, then_value, else_value, quote_identifiers, distinct)) }}
{%- endmacro %}

{% macro default__pivot(column, values, alias, agg, cmp, prefix, suffix, then_value, else_value, quote_identifiers, distinct) -%}
    {%- if execute and values | length == 0 -%}
        {{ exceptions.raise_compiler_error('pivot: no values to pivot ' ~ column ~ ' on') }}
    {%- endif -%}
    {%- for value in values %}
    {{ agg }}({% if distinct %}distinct {% endif %}case when {{ column }} {{ cmp }} '{{ dbt.escape_single_quotes(value) }}' then {{ then_value }} else {{ else_value }} end)
    {%- if alias %} as {{ adapter.quote(prefix ~ value ~ suffix) if quote_identifiers else prefix ~ value ~ suffix }}{% endif %}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Turns columns into rows: one row per (kept row, column), with the column's name and its value cast to cast_to. -#}
{% macro unpivot(relation=none, cast_to='varchar', exclude=none, remove=none, field_name='field_name', value_name='value', quote_identifiers=False) -%}
    {{ return(adapter.dispatch('unpivot', 'introspect_utils')(relation, cast_to, exclude, remove, field_name, value_name, quote_identifiers)) }}
{%- endmacro %}

{% macro default__unpivot(relation, cast_to, exclude, remove, field_name, value_name, quote_identifiers) -%}
    {%- if relation is none -%}{{ exceptions.raise_compiler_error('unpivot: a relation is required') }}{%- endif -%}
    {%- if not execute -%}{{ return('select 1 as placeholder') }}{%- endif -%}
    {%- set existing = introspect_utils._existing_relation(relation, 'unpivot') -%}
    {%- set kept = (exclude or []) | map('lower') | list -%}
    {%- set dropped = (remove or []) | map('lower') | list -%}
    {%- set kept_columns = [] -%}
    {%- set unpivoted = [] -%}
    {%- for col in adapter.get_columns_in_relation(existing) -%}
        {%- if col.column | lower in kept -%}
            {%- do kept_columns.append(col) -%}
        {%- elif not col.column | lower in dropped -%}
            {%- do unpivoted.append(col) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if unpivoted | length == 0 -%}
        {{ exceptions.raise_compiler_error('unpivot: no columns of ' ~ relation ~ ' are left to unpivot') }}
    {%- endif -%}
    {%- for col in unpivoted %}
    select
        {%- for k in kept_columns %}
        {{ k.quoted if quote_identifiers else k.column }},
        {%- endfor %}
        cast('{{ col.column }}' as {{ dbt.type_string() }}) as {{ adapter.quote(field_name) if quote_identifiers else field_name }},
        cast({{ col.quoted if quote_identifiers else col.column }} as {{ cast_to }}) as {{ adapter.quote(value_name) if quote_identifiers else value_name }}
    from {{ existing }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
