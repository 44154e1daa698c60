-- as vendors' integration tests: the staging model holds every row of the source (an empty model fails)
select 1 from (select count(*) as n from {{ ref('stg_vendor__contact') }}) m
where m.n <> (select count(*) from {{ source('vendor', 'contact') }}) or m.n = 0
