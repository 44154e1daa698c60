{#- Tracked hours per project (time logged on the project's live tasks) and how long its tasks took on average. -#}
with project_tasks as (
    select p.folder_id as project_id, t.id as task_id, t.status, t.created_date, t.completed_date
    from {{ source('wrike', 'task_parents') }} p
    join {{ source('wrike', 'tasks') }} t on t.id = p.task_id and t._tributary_deleted_at is null
),
logged as (
    select task_id, sum(hours) as hours
    from {{ source('wrike', 'timelogs') }}
    where _tributary_deleted_at is null
    group by task_id
)
select
    f.id as project_id,
    f.title as project,
    f.project_status,
    count(distinct pt.task_id) as tasks,
    count(distinct case when pt.status = 'Completed' then pt.task_id end) as completed_tasks,
    coalesce(sum(l.hours), 0) as tracked_hours,
    round(cast(avg(case when pt.status = 'Completed' and pt.completed_date is not null
        then extract(epoch from (pt.completed_date - pt.created_date)) / 3600.0 end) as numeric), 2) as avg_hours_to_complete
from {{ source('wrike', 'folders') }} f
left join project_tasks pt on pt.project_id = f.id
left join logged l on l.task_id = pt.task_id
where f.is_project
group by f.id, f.title, f.project_status
