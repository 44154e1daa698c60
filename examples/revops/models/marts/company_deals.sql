{{ config(materialized='table') }}
{#- Each live deal with its company (none for deals without one): amount, currency, pipeline stage and outcome. -#}
select
    d.deal_id,
    d.deal_name,
    d.company_id,
    c.company_name,
    c.domain as company_domain,
    d.amount,
    d.currency,
    d.pipeline_id,
    d.stage,
    d.outcome,
    d.close_date,
    d.created_at
from {{ ref('stg_hubspot__deals') }} d
left join {{ ref('stg_hubspot__companies') }} c on c.company_id = d.company_id
