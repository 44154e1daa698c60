{#- md5 of the fields cast to text, a null marked apart from the empty string, joined by '-'. -#}
{% macro generate_surrogate_key(field_list) -%}
    {{ return(adapter.dispatch('generate_surrogate_key', 'introspect_utils')(field_list)) }}
{%- endmacro %}

{% macro default__generate_surrogate_key(field_list) -%}
    {%- if field_list is string -%}
        {{ exceptions.raise_compiler_error('generate_surrogate_key takes a list of fields, got the string "' ~ field_list ~ '"') }}
    {%- endif -%}
    {%- set treat_nulls_as_empty = var('surrogate_key_treat_nulls_as_empty_strings', False) -%}
    {%- set null_marker = '' if treat_nulls_as_empty else '_introspect_utils_null_' -%}
    {%- set parts = [] -%}
    {%- for field in field_list -%}
        {%- do parts.append("coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '" ~ null_marker ~ "')") -%}
        {%- if not loop.last -%}{%- do parts.append("'-'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
