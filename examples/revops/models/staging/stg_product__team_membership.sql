select team_id, user_id, role, joined_at, updated_at
from {{ source('product_db', 'team_membership') }}
where _tributary_deleted_at is null
