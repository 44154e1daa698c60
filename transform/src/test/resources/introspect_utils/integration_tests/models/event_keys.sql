select event_id, {{ introspect_utils.generate_surrogate_key(['event_id', 'user_id']) }} as event_key from {{ ref('data_events') }}
