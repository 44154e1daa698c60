{#- Every completed task that is not in the recycle bin: how long it took from creation to completion, which project
    it belongs to (its parent folder that is a project) and the hours logged against it. -#}
with project_of_task as (
    select p.task_id, min(f.id) as project_id
    from {{ source('wrike', 'task_parents') }} p
    join {{ source('wrike', 'folders') }} f on f.id = p.folder_id and f.is_project
    group by p.task_id
),
tracked as (
    select task_id, sum(hours) as tracked_hours
    from {{ source('wrike', 'timelogs') }}
    where _tributary_deleted_at is null
    group by task_id
)
select
    t.id as task_id,
    t.title,
    pt.project_id,
    t.created_date,
    t.completed_date,
    round(cast(extract(epoch from (t.completed_date - t.created_date)) / 3600.0 as numeric), 2) as hours_to_complete,
    coalesce(tr.tracked_hours, 0) as tracked_hours
from {{ source('wrike', 'tasks') }} t
left join project_of_task pt on pt.task_id = t.id
left join tracked tr on tr.task_id = t.id
where t.status = 'Completed'
  and t.completed_date is not null
  and t._tributary_deleted_at is null
