{# Selects each wanted column from the source when it has it, else a typed null: as vendors' fill_staging_columns. #}
{% macro fill_staging_columns(source_columns, staging_columns) -%}
{%- set source_column_names = source_columns | map(attribute='name') | map('lower') | list -%}
{%- for column in staging_columns %}
    {% if column.name | lower in source_column_names -%}
        {{ column.name }}
    {%- else -%}
        cast(null as {{ column.datatype }}) as {{ column.name }}
    {%- endif -%}
    {%- if not loop.last %},{% endif -%}
{% endfor %}
{%- endmacro %}
