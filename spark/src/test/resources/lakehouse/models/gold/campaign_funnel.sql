select e.campaign,
       count(distinct case when e.kind = 'visit' then e.contact_id end) as visitors,
       count(distinct case when e.kind = 'signup' then e.contact_id end) as signups,
       count(distinct w.deal_id) as won_deals,
       sum(w.amount) as won_amount
from {{ ref('raw_events') }} e
left join {{ ref('won_deals') }} w on w.contact_id = e.contact_id
group by e.campaign
