{{ config(materialized='table') }}
{#- Every product team, matched to at most one HubSpot company, never by a guess:

    name key   the normalised name (macros/normalize.sql) equals a company's
    domain     the team's top member email domain (team_email_domains: not free mail, held by at least half of all
               the team's members) equals a company's domain

    name_and_domain (confidence 0.99; 0.95 when the name alone fits several companies): one company fits both
    name            (0.90): the name fits exactly one company and the members' domain points to no company
    domain          (0.80 with two or more members on the domain and a share of at least 75 %, else 0.60): no
                    company has the name, exactly one has the domain
    anything else stays unmatched, with the reason (several candidates, name and domain disagreeing, nothing). -#}
with teams as (
    select team_id, team_name, name_key from {{ ref('stg_product__teams') }}
),
companies as (
    select company_id, name_key, domain from {{ ref('stg_hubspot__companies') }}
),
top_domain as (
    select team_id, domain, members, share
    from {{ ref('team_email_domains') }}
    where is_top and share >= 0.5
),
by_name as (
    select t.team_id, count(c.company_id) as name_candidates, min(c.company_id) as name_company_id
    from teams t
    left join companies c on c.name_key = t.name_key and t.name_key <> ''
    group by t.team_id
),
by_domain as (
    select d.team_id, count(c.company_id) as domain_candidates, min(c.company_id) as domain_company_id
    from top_domain d
    left join companies c on c.domain = d.domain
    group by d.team_id
),
by_both as (
    select t.team_id, count(*) as both_candidates, min(c.company_id) as both_company_id
    from teams t
    join top_domain d on d.team_id = t.team_id
    join companies c on c.name_key = t.name_key and c.domain = d.domain
    group by t.team_id
),
evidence as (
    select
        t.team_id,
        t.team_name,
        t.name_key,
        n.name_candidates,
        n.name_company_id,
        d.domain as member_domain,
        d.members as members_on_domain,
        d.share as domain_share,
        coalesce(bd.domain_candidates, 0) as domain_candidates,
        bd.domain_company_id,
        coalesce(b.both_candidates, 0) as both_candidates,
        b.both_company_id
    from teams t
    join by_name n on n.team_id = t.team_id
    left join top_domain d on d.team_id = t.team_id
    left join by_domain bd on bd.team_id = t.team_id
    left join by_both b on b.team_id = t.team_id
),
decided as (
    select
        *,
        case
            when both_candidates = 1 then 'name_and_domain'
            when both_candidates = 0 and name_candidates = 1 and domain_candidates = 0 then 'name'
            when both_candidates = 0 and name_candidates = 0 and domain_candidates = 1 then 'domain'
        end as match_method
    from evidence
)
select
    team_id,
    team_name,
    name_key,
    case match_method
        when 'name_and_domain' then both_company_id
        when 'name' then name_company_id
        when 'domain' then domain_company_id
    end as company_id,
    match_method,
    case match_method
        when 'name_and_domain' then case when name_candidates = 1 then 0.99 else 0.95 end
        when 'name' then 0.90
        when 'domain' then case when members_on_domain >= 2 and domain_share >= 0.75 then 0.80 else 0.60 end
    end as confidence,
    case
        when match_method is not null then null
        when both_candidates > 1 then 'name and domain fit ' || cast(both_candidates as varchar) || ' companies'
        when name_candidates = 1 and domain_candidates > 0 then 'name and member domain point to different companies'
        when name_candidates > 1 then 'name fits ' || cast(name_candidates as varchar) || ' companies, the member domain none of them'
        when domain_candidates > 1 then 'member domain fits ' || cast(domain_candidates as varchar) || ' companies'
        else 'no company with this name or member domain'
    end as unmatched_reason,
    name_candidates,
    member_domain,
    members_on_domain,
    domain_share,
    domain_candidates
from decided
