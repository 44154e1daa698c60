{%- set missing = api.Relation.create(database=target.database, schema=target.schema, identifier='no_such_table') -%}
{%- set kinds = introspect_utils.get_column_values(ref('data_events'), 'kind', order_by='kind') -%}
{%- set fallback = introspect_utils.get_column_values(missing, 'kind', default=['none']) -%}
select '{{ kinds | join(",") }}' as kinds, '{{ fallback | join(",") }}' as fallback
