{#- Transactions; net_amount counts what was paid (refunds negative, failed payments nothing). -#}
select
    id as transaction_id,
    user_id,
    team_id,
    amount,
    currency,
    status,
    case
        when status = 'paid' then amount
        when status = 'refunded' then -abs(amount)
        else 0
    end as net_amount,
    created_at,
    updated_at
from {{ source('product_db', 'transactions') }}
where _tributary_deleted_at is null
