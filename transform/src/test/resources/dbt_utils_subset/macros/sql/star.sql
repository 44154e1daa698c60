{#- The columns of a relation (minus `except`), quoted, optionally qualified by an alias and renamed with a prefix/suffix. -#}
{% macro star(from, relation_alias=False, except=[], prefix='', suffix='', quote_identifiers=True) -%}
    {{ return(adapter.dispatch('star', 'dbt_utils')(from, relation_alias, except, prefix, suffix, quote_identifiers)) }}
{%- endmacro %}

{% macro default__star(from, relation_alias, except, prefix, suffix, quote_identifiers) -%}
    {#- while parsing there are no columns to read: a plain * keeps the model parseable -#}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set names = dbt_utils.get_filtered_columns_in_relation(from, except) -%}
    {%- if names | length == 0 -%}{{ return('*') }}{%- endif -%}
    {%- set parts = [] -%}
    {%- for name in names -%}
        {%- set qualified = (relation_alias ~ '.' if relation_alias else '') ~ (adapter.quote(name) if quote_identifiers else name) -%}
        {%- if prefix or suffix -%}
            {%- set renamed = prefix ~ name ~ suffix -%}
            {%- do parts.append(qualified ~ ' as ' ~ (adapter.quote(renamed) if quote_identifiers else renamed)) -%}
        {%- else -%}
            {%- do parts.append(qualified) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join(', ')) }}
{%- endmacro %}

{% macro get_filtered_columns_in_relation(from, except=[]) -%}
    {{ return(adapter.dispatch('get_filtered_columns_in_relation', 'dbt_utils')(from, except)) }}
{%- endmacro %}

{% macro default__get_filtered_columns_in_relation(from, except) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set excluded = [] -%}
    {%- for e in except -%}{%- do excluded.append(e | lower) -%}{%- endfor -%}
    {%- set kept = [] -%}
    {%- for column in adapter.get_columns_in_relation(from) -%}
        {%- if (column.name | lower) not in excluded -%}{%- do kept.append(column.name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(kept) }}
{%- endmacro %}
