{{ config(materialized='table') }}
{#- Live HubSpot tickets, one row per id, with their status; a closed ticket's last change is when it was closed. -#}
with ranked as (
    select t.*, row_number() over (partition by t.id order by t.updatedat desc, t._tributary_extracted_at desc) as version
    from {{ source('hubspot', 'tickets') }} t
    where not coalesce(t.archived, false) and t.merged_into_id is null and t._tributary_deleted_at is null
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
