{#- The columns of a relation, except some, as a select list: quoted, optionally qualified by an alias, renamed with
    a prefix and/or suffix. No column at all while executing is an error, never a silent `*`. -#}
{% macro star(from, relation_alias=False, except=[], prefix='', suffix='', quote_identifiers=True) -%}
    {{ return(adapter.dispatch('star', 'introspect_utils')(from, relation_alias, except, prefix, suffix, quote_identifiers)) }}
{%- endmacro %}

{% macro default__star(from, relation_alias, except, prefix, suffix, quote_identifiers) -%}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set names = introspect_utils.get_filtered_columns_in_relation(from, except) -%}
    {%- if names | length == 0 -%}
        {{ exceptions.raise_compiler_error('star: no columns in ' ~ from ~ (' after excluding ' ~ except | join(', ') if except else '') ~ ' (does the relation exist?)') }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for name in names -%}
        {%- set column = adapter.quote(name) if quote_identifiers else name -%}
        {%- set qualified = relation_alias ~ '.' ~ column if relation_alias else column -%}
        {%- if prefix or suffix -%}
            {%- set renamed = prefix ~ name ~ suffix -%}
            {%- do parts.append(qualified ~ ' as ' ~ (adapter.quote(renamed) if quote_identifiers else renamed)) -%}
        {%- else -%}
            {%- do parts.append(qualified) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join(',\n  ')) }}
{%- endmacro %}
