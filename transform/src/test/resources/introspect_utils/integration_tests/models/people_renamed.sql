select {{ introspect_utils.star(from=ref('data_people_a'), relation_alias='p', except=['ID'], prefix='person_', suffix='_v') }} from {{ ref('data_people_a') }} as p
