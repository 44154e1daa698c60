{#- The folder the answers are exported to: var('export_dir') as an absolute path, a relative one being taken from
    the project folder (DuckDB would take it from the working directory of the process). -#}
{% macro export_dir() -%}
{%- set d = var('export_dir', 'exports') | string -%}
{{ d if d[:1] == '/' or d[1:2] == ':' else project_root ~ '/' ~ d }}
{%- endmacro %}
