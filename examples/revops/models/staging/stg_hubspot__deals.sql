{#- Live HubSpot deals with their primary company, stage label and outcome: won or lost when the stage is closed
    with probability 1 or 0 (closedwon / closedlost, and a custom pipeline's "Renewed" / "Churned"), else open. -#}
with company as (
    select cast(from_id as bigint) as deal_id, min(cast(to_id as bigint)) as company_id
    from {{ source('hubspot', 'deal_company') }}
    where _tributary_deleted_at is null
    group by 1
)
select
    cast(d.id as bigint) as deal_id,
    d.dealname as deal_name,
    c.company_id,
    d.amount,
    d.deal_currency_code as currency,
    d.pipeline as pipeline_id,
    d.dealstage as stage_id,
    s.label as stage,
    case
        when s.id is null then 'unknown'
        when s.is_closed and s.probability >= 1 then 'won'
        when s.is_closed and s.probability <= 0 then 'lost'
        when s.is_closed then 'closed'
        else 'open'
    end as outcome,
    d.closedate as close_date,
    d.createdat as created_at,
    d.updatedat as updated_at
from {{ source('hubspot', 'deals') }} d
left join company c on c.deal_id = cast(d.id as bigint)
left join {{ source('hubspot', 'deal_pipeline_stages') }} s on s.pipeline_id = d.pipeline and s.id = d.dealstage
where not coalesce(d.archived, false)
  and d.merged_into_id is null
  and d._tributary_deleted_at is null
