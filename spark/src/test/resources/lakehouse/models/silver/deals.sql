{{ config(partition_by=['stage']) }}
select deal_id, contact_id, stage, cast(amount as decimal(12, 2)) as amount, closed_on
from {{ ref('raw_deals') }}
