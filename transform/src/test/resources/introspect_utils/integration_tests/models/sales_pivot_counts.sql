select
    product,
    {{ introspect_utils.pivot('region', ['north', 'south', 'east'], suffix='_orders') }}
from {{ ref('data_sales') }}
group by product
