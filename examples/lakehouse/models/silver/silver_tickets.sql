{{ config(materialized='table') }}
{#- Live HubSpot tickets, one row per id, with their status; a closed ticket's last change is when it was closed. -#}
with ranked as (
{{ latest_live_rows(source('hubspot', 'tickets')) }}
)
select
    cast(t.id as bigint) as ticket_id,
    t.subject,
    coalesce(upper(t.hs_ticket_priority), 'NONE') as priority,
    t.hs_ticket_category as category,
    coalesce(s.label, 'unknown') as status,
    coalesce(s.is_closed, false) as is_closed,
    cast(t.createdat as timestamp) as created_at,
    case when s.is_closed then cast(t.updatedat as timestamp) end as closed_at,
    cast(t._tributary_extracted_at as timestamp) as loaded_at
from ranked t
left join {{ source('hubspot', 'ticket_pipeline_stages') }} s on s.pipeline_id = t.hs_pipeline and s.id = t.hs_pipeline_stage
where t.version = 1
