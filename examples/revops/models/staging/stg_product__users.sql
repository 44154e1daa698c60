{#- Product users; email_key (trimmed, lower case) is what contacts are matched on, domain is its part after the @. -#}
select
    id as user_id,
    email,
    {{ email_key('email') }} as email_key,
    split_part({{ email_key('email') }}, '@', 2) as email_domain,
    first_name,
    last_name,
    country,
    created_at,
    updated_at
from {{ source('product_db', 'users') }}
where _tributary_deleted_at is null
