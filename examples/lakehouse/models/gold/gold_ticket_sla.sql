{{ config(materialized='table') }}
{#- Ticket SLA by priority and category: the hours allowed to close (URGENT 4, HIGH 24, MEDIUM 72, LOW and none 168),
    tickets closed within it, breached (closed late, or open past it), still open, and the average hours to close. -#}
with tickets as (
    select
        t.*,
        case t.priority when 'URGENT' then 4 when 'HIGH' then 24 when 'MEDIUM' then 72 else 168 end as sla_hours,
        case when t.is_closed then ({{ elapsed_hours('t.created_at', 't.closed_at') }}) end as hours_to_close
    from {{ ref('silver_tickets') }} t
)
select
    priority,
    coalesce(category, '(none)') as category,
    max(sla_hours) as sla_hours,
    count(*) as tickets,
    sum(case when is_closed then 1 else 0 end) as closed,
    sum(case when not is_closed then 1 else 0 end) as still_open,
    sum(case when is_closed and hours_to_close <= sla_hours then 1 else 0 end) as within_sla,
    sum(case when is_closed and hours_to_close > sla_hours then 1 else 0 end) as breached_closed,
    round(avg(cast(hours_to_close as double)), 2) as avg_hours_to_close
from tickets
group by priority, coalesce(category, '(none)')
