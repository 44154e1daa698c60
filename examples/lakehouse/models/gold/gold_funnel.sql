{{ config(materialized='table') }}
{#- The funnel from events to deals, per campaign (users by the campaign of their first sign-up; '(none)' without one):
    sessions, sign-ups, activated users, paying users and their revenue, users who are HubSpot contacts, contacts
    with a deal, won deals and their amount (deals counted once per campaign). -#}
with first_signup as (
    select email, utm_campaign from (
        select email, coalesce(utm_campaign, '(none)') as utm_campaign,
               row_number() over (partition by email order by occurred_at, event_id) as n
        from {{ ref('silver_product_events') }}
        where event_type = 'signup' and email is not null
    ) s
    where n = 1
),
users as (
    select
        f.utm_campaign,
        f.email,
        max(case when e.event_type = 'activation' then 1 else 0 end) as activated,
        max(case when e.event_type = 'purchase' then 1 else 0 end) as paid,
        coalesce(sum(case when e.event_type = 'purchase' then e.revenue end), 0) as revenue
    from first_signup f
    join {{ ref('silver_product_events') }} e on e.email = f.email
    group by f.utm_campaign, f.email
),
contacts as (
    select u.utm_campaign, u.email, min(c.contact_id) as contact_id
    from users u
    join {{ ref('silver_contacts') }} c on c.email = u.email
    group by u.utm_campaign, u.email
),
deals as (
    select distinct c.utm_campaign, d.deal_id, d.outcome, d.amount
    from contacts c
    join {{ ref('silver_deal_contacts') }} dc on dc.contact_id = c.contact_id
    join {{ ref('silver_deals') }} d on d.deal_id = dc.deal_id
),
campaigns as (
    select utm_campaign from {{ ref('silver_campaigns') }}
    union
    select '(none)' as utm_campaign
),
sessions as (
    select coalesce(utm_campaign, '(none)') as utm_campaign, count(*) as sessions
    from {{ ref('silver_web_sessions') }}
    group by 1
),
user_totals as (
    select utm_campaign, count(*) as signups, sum(activated) as activated_users, sum(paid) as paying_users, sum(revenue) as product_revenue
    from users
    group by utm_campaign
),
contact_totals as (
    select c.utm_campaign, count(distinct c.contact_id) as hubspot_contacts, count(distinct dc.contact_id) as contacts_with_deals
    from contacts c
    left join {{ ref('silver_deal_contacts') }} dc on dc.contact_id = c.contact_id
    group by c.utm_campaign
),
deal_totals as (
    select utm_campaign, count(*) as deals, sum(case when outcome = 'won' then 1 else 0 end) as won_deals,
           sum(case when outcome = 'won' then amount end) as won_amount
    from deals
    group by utm_campaign
)
select
    k.utm_campaign,
    coalesce(s.sessions, 0) as sessions,
    coalesce(u.signups, 0) as signups,
    coalesce(u.activated_users, 0) as activated_users,
    coalesce(u.paying_users, 0) as paying_users,
    cast(coalesce(u.product_revenue, 0) as decimal(18, 2)) as product_revenue,
    coalesce(c.hubspot_contacts, 0) as hubspot_contacts,
    coalesce(c.contacts_with_deals, 0) as contacts_with_deals,
    coalesce(d.deals, 0) as deals,
    coalesce(d.won_deals, 0) as won_deals,
    cast(coalesce(d.won_amount, 0) as decimal(18, 2)) as won_amount
from campaigns k
left join sessions s on s.utm_campaign = k.utm_campaign
left join user_totals u on u.utm_campaign = k.utm_campaign
left join contact_totals c on c.utm_campaign = k.utm_campaign
left join deal_totals d on d.utm_campaign = k.utm_campaign
