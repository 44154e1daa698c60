select id, region, product, case when id = 1 then amount + 1 else amount end as amount from {{ ref('data_sales') }}
