{#- Product teams with the normalised name key (see macros/normalize.sql). -#}
select
    id as team_id,
    trim(name) as team_name,
    {{ company_name_key('name') }} as name_key,
    plan,
    seats,
    currency,
    created_at,
    updated_at
from {{ source('product_db', 'teams') }}
where _tributary_deleted_at is null
