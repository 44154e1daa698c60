select {{ dbt_utils.star(from=ref('orders'), except=['amount', 'order_date']) }}, amount
from {{ ref('orders') }}
