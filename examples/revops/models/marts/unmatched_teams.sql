{{ config(materialized='table') }}
{#- Product teams matched to no company, and why (never guessed): for someone to link by hand in HubSpot. -#}
select
    m.team_id,
    m.team_name,
    m.unmatched_reason,
    m.name_candidates,
    m.member_domain,
    m.domain_candidates,
    (select count(*) from {{ ref('stg_product__team_membership') }} tm where tm.team_id = m.team_id) as members
from {{ ref('team_company_matches') }} m
where m.company_id is null
