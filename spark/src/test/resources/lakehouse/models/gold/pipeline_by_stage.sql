select d.stage, c.company_id, count(*) as deals, sum(coalesce(d.amount, 0)) as amount
from {{ ref('deals') }} d join {{ ref('contacts') }} c on c.contact_id = d.contact_id
group by d.stage, c.company_id
