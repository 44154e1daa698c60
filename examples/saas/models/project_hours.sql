{#- Per Wrike project (from the Singer tap's tables): its live tasks and the hours logged on them. -#}
with logged as (
    select task_id, sum(hours) as hours
    from {{ source('wrike', 'timelogs') }}
    where _tributary_deleted_at is null
    group by task_id
)
select
    f.id as project_id,
    f.title as project,
    f.project_status,
    count(t.id) as tasks,
    count(case when t.status = 'Completed' then t.id end) as completed_tasks,
    coalesce(sum(l.hours), 0) as tracked_hours
from {{ source('wrike', 'folders') }} f
left join {{ source('wrike', 'tasks') }} t on t.project_id = f.id and t._tributary_deleted_at is null
left join logged l on l.task_id = t.id
where f.is_project and f._tributary_deleted_at is null
group by f.id, f.title, f.project_status
