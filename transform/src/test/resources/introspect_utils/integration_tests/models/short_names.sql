select id, cast(name as varchar(3)) as name from {{ ref('data_people_a') }}
