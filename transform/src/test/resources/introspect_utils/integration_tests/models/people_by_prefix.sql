-- depends_on: {{ ref('data_people_a') }}, {{ ref('data_people_b') }}, {{ ref('data_people_c') }}
{%- set relations = introspect_utils.get_relations_by_prefix(target.schema, 'data_people_', exclude='data_people_c') %}
{{ introspect_utils.union_relations(relations) }}
