{#- The day the answers are computed for: var('as_of') (YYYY-MM-DD) when given, else today. -#}
{% macro as_of() -%}
{%- if var('as_of', '') -%} date '{{ var('as_of') }}' {%- else -%} current_date {%- endif -%}
{%- endmacro %}

{#- Trimmed, inner runs of whitespace made one space. -#}
{% macro clean_text(column) -%}
regexp_replace(trim({{ column }}), '\s+', ' ', 'g')
{%- endmacro %}
