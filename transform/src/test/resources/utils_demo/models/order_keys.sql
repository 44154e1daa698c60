select {{ dbt_utils.generate_surrogate_key(['id', 'status', 'null']) }} as order_key, id, status
from {{ ref('orders') }}
