{#- Per HubSpot company matched to Xero contacts, per invoice currency (amounts are never added across currencies):
    its sales invoices (ACCREC, AUTHORISED or PAID), their total, what was paid against them (payments not deleted)
    and what is still outstanding (AmountDue of the AUTHORISED ones), with the overdue part of it. -#}
with matched as (
    select distinct company_id, company_name, tenant_id, contact_id from {{ ref('company_xero_match') }}
),
invoices as (
    select tenant_id, invoiceid as invoice_id, contactid as contact_id, currencycode as currency, status,
           total, amountdue as amount_due, duedate as due_date
    from {{ source('xero', 'invoices') }}
    where type = 'ACCREC' and status in ('AUTHORISED', 'PAID') and _tributary_deleted_at is null
),
paid as (
    select tenant_id, invoiceid as invoice_id, sum(amount) as paid
    from {{ source('xero', 'payments') }}
    where coalesce(status, '') <> 'DELETED' and _tributary_deleted_at is null
    group by tenant_id, invoiceid
)
select
    m.company_id,
    m.company_name,
    i.currency,
    count(*) as invoices,
    sum(i.total) as invoiced,
    coalesce(sum(p.paid), 0) as paid,
    coalesce(sum(case when i.status = 'AUTHORISED' then i.amount_due end), 0) as outstanding,
    coalesce(sum(case when i.status = 'AUTHORISED' and i.due_date < current_date then i.amount_due end), 0) as overdue
from matched m
join invoices i on i.tenant_id = m.tenant_id and i.contact_id = m.contact_id
left join paid p on p.tenant_id = i.tenant_id and p.invoice_id = i.invoice_id
group by m.company_id, m.company_name, i.currency
