{{
    config(
        materialized='incremental',
        unique_key='payment_id',
        incremental_strategy='merge',
        tags=['incremental']
    )
}}

select payment_id, order_id, payment_method, amount
from {{ ref('stg_payments') }}
{% if is_incremental() %}
where payment_id >= (select coalesce(max(payment_id), 0) from {{ this }})
{% endif %}
