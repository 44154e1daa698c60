{%- set schema_relation = api.Relation.create(database=target.database, schema=target.schema) -%}
{%- set from_adapter = [] -%}
{%- set from_macro = [] -%}
{%- if execute -%}
  {%- for rel in adapter.list_relations_without_caching(schema_relation) if rel.identifier in ['contacts', 'events_recent', 'raw_events'] -%}
    {%- do from_adapter.append(rel.identifier ~ ':' ~ rel.type) -%}
  {%- endfor -%}
  {%- for row in list_relations_without_caching(schema_relation) if row['name'] in ['contacts', 'events_recent', 'raw_events'] -%}
    {%- do from_macro.append(row['name'] ~ ':' ~ row['type'] ~ ':' ~ row['schema']) -%}
  {%- endfor -%}
{%- endif -%}
select '{{ from_adapter | sort | join(",") }}' as from_adapter,
  '{{ from_macro | sort | join(",") }}' as from_macro,
  '{{ adapter.get_columns_in_relation(ref("contacts")) | map(attribute="name") | join(",") }}' as contact_columns,
  {{ adapter.get_relation(database=target.database, schema=target.schema, identifier='contacts') is not none }} as contacts_found,
  {{ adapter.get_relation(database=target.database, schema=target.schema, identifier='no_such_model') is not none }} as missing_found,
  {{ adapter.check_schema_exists(target.database, target.schema) if execute else false }} as schema_exists,
  {{ adapter.check_schema_exists(target.database, 'no_such_schema') if execute else false }} as other_schema_exists
-- depends_on: {{ ref('contacts') }}, {{ ref('events_recent') }}
