{{ config(materialized='table') }}
{#- Live HubSpot deals, one row per id, with their primary company and stage: outcome won / lost when the stage is
    closed with probability 1 / 0, open otherwise. The amount stays null when HubSpot has none (the checks count them). -#}
with ranked as (
{{ latest_live_rows(source('hubspot', 'deals')) }}
),
company as (
    select cast(from_id as bigint) as deal_id, min(cast(to_id as bigint)) as company_id
    from {{ source('hubspot', 'deal_company') }}
    where _tributary_deleted_at is null
    group by 1
)
select
    cast(d.id as bigint) as deal_id,
    d.dealname as deal_name,
    c.company_id,
    cast(d.amount as decimal(18, 2)) as amount,
    coalesce(d.deal_currency_code, 'USD') as currency,
    d.pipeline as pipeline_id,
    coalesce(s.label, 'unknown') as stage,
    case
        when s.id is null then 'unknown'
        when s.is_closed and s.probability >= 1 then 'won'
        when s.is_closed and s.probability <= 0 then 'lost'
        when s.is_closed then 'closed'
        else 'open'
    end as outcome,
    cast(d.closedate as timestamp) as close_date,
    cast(d.createdat as timestamp) as created_at,
    cast(d._tributary_extracted_at as timestamp) as loaded_at
from ranked d
left join company c on c.deal_id = cast(d.id as bigint)
left join {{ source('hubspot', 'deal_pipeline_stages') }} s on s.pipeline_id = d.pipeline and s.id = d.dealstage
where d.version = 1
