-- every seed row is in the union once, with its own source relation: a row per difference fails
with expected as (
    select cast(id as integer) as id, '{{ ref('data_people_a') }}' as src from {{ ref('data_people_a') }}
    union all select cast(id as integer), '{{ ref('data_people_b') }}' from {{ ref('data_people_b') }}
    union all select cast(id as integer), '{{ ref('data_people_c') }}' from {{ ref('data_people_c') }}
),
actual as (select cast(id as integer) as id, _dbt_source_relation as src from {{ ref('people_union') }})
(select * from expected {{ dbt.except() }} select * from actual)
union all
(select * from actual {{ dbt.except() }} select * from expected)
