{#- Per team: the email domains of its members, free-mail domains (seed free_email_domains) left out, and each
    domain's share of all the team's members (free mail included, so a few colleagues from a company in a team of
    free-mail users are not the team's company). is_top marks the team's single most common domain (a tie for first
    place marks none). -#}
with members as (
    select m.team_id, u.email_domain as domain
    from {{ ref('stg_product__team_membership') }} m
    join {{ ref('stg_product__users') }} u on u.user_id = m.user_id
    where u.email_domain is not null and u.email_domain <> ''
),
team_size as (
    select team_id, count(*) as members_with_email from members group by 1
),
member_domains as (
    select team_id, domain, count(*) as members
    from members
    where domain not in (select domain from {{ ref('free_email_domains') }})
    group by 1, 2
),
ranked as (
    select
        d.team_id,
        d.domain,
        d.members,
        s.members_with_email,
        rank() over (partition by d.team_id order by d.members desc) as place,
        count(*) over (partition by d.team_id, d.members) as same_count
    from member_domains d
    join team_size s on s.team_id = d.team_id
)
select
    team_id,
    domain,
    members,
    members_with_email,
    round(cast(members as numeric) / members_with_email, 3) as share,
    place = 1 and same_count = 1 as is_top
from ranked
