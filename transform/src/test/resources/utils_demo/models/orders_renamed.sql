select {{ dbt_utils.star(ref('orders'), relation_alias='o', except=['amount'], prefix='order_') }}
from {{ ref('orders') }} o
