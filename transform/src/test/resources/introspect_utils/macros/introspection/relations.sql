{#- Is obj a relation (a mapping whose metadata.type ends in Relation), as packages check before reading one. -#}
{% macro _is_relation(obj, macro_name) -%}
    {%- if not (obj is mapping and obj.get('metadata', {}).get('type', '').endswith('Relation')) -%}
        {%- if obj is string -%}
            {{ exceptions.raise_compiler_error(macro_name ~ ': expected a relation, got the string "' ~ obj ~ '" (use ref() or source())') }}
        {%- else -%}
            {{ exceptions.raise_compiler_error(macro_name ~ ': expected a relation, got ' ~ obj) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The relation as it exists in the warehouse; a compiler error naming the macro when it does not (while executing). -#}
{% macro _existing_relation(relation, macro_name) -%}
    {%- do introspect_utils._is_relation(relation, macro_name) -%}
    {%- if not execute -%}{{ return(relation) }}{%- endif -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if found is none -%}
        {{ exceptions.raise_compiler_error(macro_name ~ ': relation ' ~ relation ~ ' does not exist') }}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- Relations whose schema and name match SQL like-patterns (minus `exclude`), read from information_schema. -#}
{% macro get_relations_by_pattern(schema_pattern, table_pattern, exclude='', database=target.database) -%}
    {{ return(adapter.dispatch('get_relations_by_pattern', 'introspect_utils')(schema_pattern, table_pattern, exclude, database)) }}
{%- endmacro %}

{% macro default__get_relations_by_pattern(schema_pattern, table_pattern, exclude, database) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- call statement('get_tables_by_pattern', fetch_result=True) %}
        {{ introspect_utils.get_tables_by_pattern_sql(schema_pattern, table_pattern, exclude, database) }}
    {%- endcall -%}
    {%- set table_list = load_result('get_tables_by_pattern') -%}
    {%- set found = [] -%}
    {%- for row in table_list['table'] -%}
        {%- do found.append(api.Relation.create(database=database, schema=row.table_schema, identifier=row.table_name, type=row.table_type)) -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}

{% macro get_tables_by_pattern_sql(schema_pattern, table_pattern, exclude='', database=target.database) -%}
    {{ return(adapter.dispatch('get_tables_by_pattern_sql', 'introspect_utils')(schema_pattern, table_pattern, exclude, database)) }}
{%- endmacro %}

{% macro default__get_tables_by_pattern_sql(schema_pattern, table_pattern, exclude, database) -%}
    select distinct
        table_schema as "table_schema",
        table_name as "table_name",
        {{ introspect_utils.get_table_types_sql() }}
    from information_schema.tables
    where table_catalog = '{{ database }}'
      and table_schema ilike '{{ schema_pattern }}'
      and table_name ilike '{{ table_pattern }}'
      and table_name not ilike '{{ exclude }}'
    order by 1, 2
{%- endmacro %}

{% macro get_table_types_sql() -%}
    {{ return(adapter.dispatch('get_table_types_sql', 'introspect_utils')()) }}
{%- endmacro %}

{% macro default__get_table_types_sql() -%}
    case table_type when 'BASE TABLE' then 'table' when 'VIEW' then 'view' else lower(table_type) end as "table_type"
{%- endmacro %}

{#- Relations of one schema whose names start with a prefix, from dbt's list_relations_without_caching. -#}
{% macro get_relations_by_prefix(schema, prefix, exclude='', database=target.database) -%}
    {{ return(adapter.dispatch('get_relations_by_prefix', 'introspect_utils')(schema, prefix, exclude, database)) }}
{%- endmacro %}

{% macro default__get_relations_by_prefix(schema, prefix, exclude, database) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set schema_relation = api.Relation.create(database=database, schema=schema) -%}
    {%- set listed = list_relations_without_caching(schema_relation) -%}
    {%- set found = [] -%}
    {%- for row in listed -%}
        {%- set name = row['name'] -%}
        {%- if name.lower().startswith(prefix.lower()) and not (exclude and name.lower().startswith(exclude.lower())) -%}
            {%- do found.append(api.Relation.create(database=row['database'], schema=row['schema'], identifier=name, type=row['type'])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found | sort(attribute='identifier')) }}
{%- endmacro %}

{#- The columns of a relation except some, as names (dbt's column.name), in the relation's order. -#}
{% macro get_filtered_columns_in_relation(from, except=[]) -%}
    {{ return(adapter.dispatch('get_filtered_columns_in_relation', 'introspect_utils')(from, except)) }}
{%- endmacro %}

{% macro default__get_filtered_columns_in_relation(from, except) -%}
    {%- do introspect_utils._is_relation(from, 'get_filtered_columns_in_relation') -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set excluded = except | map('lower') | list -%}
    {%- set kept = [] -%}
    {%- for column in adapter.get_columns_in_relation(from) if column.name | lower not in excluded -%}
        {%- do kept.append(column.name) -%}
    {%- endfor -%}
    {{ return(kept) }}
{%- endmacro %}

{#- The distinct values of a column, most frequent first by default, asked of the warehouse with run_query. -#}
{% macro get_column_values(table, column, order_by='count(*) desc', max_records=none, default=none, where=none) -%}
    {{ return(adapter.dispatch('get_column_values', 'introspect_utils')(table, column, order_by, max_records, default, where)) }}
{%- endmacro %}

{% macro default__get_column_values(table, column, order_by, max_records, default, where) -%}
    {%- set fallback = [] if default is none else default -%}
    {%- if not execute -%}{{ return(fallback) }}{%- endif -%}
    {%- do introspect_utils._is_relation(table, 'get_column_values') -%}
    {%- set target_relation = adapter.get_relation(database=table.database, schema=table.schema, identifier=table.identifier) -%}
    {%- if target_relation is none -%}
        {%- if default is none -%}
            {{ exceptions.raise_compiler_error('get_column_values: relation ' ~ table ~ ' does not exist and no default was given') }}
        {%- endif -%}
        {%- do exceptions.warn('get_column_values: relation ' ~ table ~ ' does not exist; using the default ' ~ default) -%}
        {{ return(default) }}
    {%- endif -%}
    {%- set values_sql -%}
        select {{ column }} as value
        from {{ target_relation }}
        {% if where is not none %}where {{ where }}{% endif %}
        group by {{ column }}
        order by {{ order_by }}
        {% if max_records is not none %}limit {{ max_records }}{% endif %}
    {%- endset -%}
    {%- set values = run_query(values_sql) -%}
    {{ return(values.columns[0].values() | list) }}
{%- endmacro %}
