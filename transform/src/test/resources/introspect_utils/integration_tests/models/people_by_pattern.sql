-- depends_on: {{ ref('data_people_a') }}, {{ ref('data_people_b') }}, {{ ref('data_people_c') }}
{{ introspect_utils.union_relations(introspect_utils.get_relations_by_pattern(target.schema, 'data_people%')) }}
