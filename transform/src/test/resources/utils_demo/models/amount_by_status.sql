{%- set statuses = dbt_utils.get_column_values(table=ref('orders'), column='status') -%}
select
    customer_id,
    {{ dbt_utils.pivot('status', statuses, agg='sum', then_value='amount', else_value=0, suffix='_amount') }}
from {{ ref('orders') }}
group by customer_id
