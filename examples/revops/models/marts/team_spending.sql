{{ config(materialized='table') }}
{#- Each HubSpot company matched to a product team (see team_company_matches for the rules), how it was matched and
    how sure that is, and the team's total spend: one row per currency (none and 0 for a team that never paid). -#}
select
    m.company_id,
    c.company_name,
    c.domain as company_domain,
    m.team_id,
    m.team_name,
    m.match_method,
    m.confidence,
    s.currency,
    coalesce(s.total_spend, 0) as total_spend,
    coalesce(s.paying_users, 0) as paying_users,
    coalesce(s.transactions, 0) as transactions
from {{ ref('team_company_matches') }} m
join {{ ref('stg_hubspot__companies') }} c on c.company_id = m.company_id
left join {{ ref('team_spend') }} s on s.team_id = m.team_id
