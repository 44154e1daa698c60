select {{ introspect_utils.star(ref('data_people_a'), except=['city']) }} from {{ ref('data_people_a') }}
