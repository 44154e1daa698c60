select
    region,
    {{ introspect_utils.pivot('product', introspect_utils.get_column_values(ref('data_sales'), 'product', order_by='product'), then_value='amount', prefix='amt_') }}
from {{ ref('data_sales') }}
group by region
