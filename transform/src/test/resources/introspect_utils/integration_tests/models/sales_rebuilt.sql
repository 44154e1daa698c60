select {{ introspect_utils.star(ref('data_sales')) }} from {{ ref('data_sales') }} order by id desc
