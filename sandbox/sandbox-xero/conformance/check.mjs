// Conformance check: Xero's official Node SDK (xero-node) against the sandbox. The SDK's accountingApi.basePath points at
// the sandbox; its identity and /connections calls use fixed https://identity.xero.com and https://api.xero.com URLs, so an
// axios request interceptor (the SDK's own axios instance) sends those to the sandbox too.
// Usage: node check.mjs <baseUrl> <clientId> <clientSecret> <refreshToken> <customClientId> <customClientSecret>
// Exits 0 when every check passes, 1 on the first mismatch, 2 on bad usage.
import { createRequire } from 'node:module';
import { XeroClient } from 'xero-node';

// the CommonJS axios the SDK itself requires (an ESM import would load a second, separate axios)
const axios = createRequire(import.meta.url)('axios');

const [baseUrl, clientId, clientSecret, refreshToken, customId, customSecret] = process.argv.slice(2);
if (!baseUrl || !refreshToken) {
  console.error('usage: node check.mjs <baseUrl> <clientId> <clientSecret> <refreshToken> <customClientId> <customClientSecret>');
  process.exit(2);
}
axios.interceptors.request.use((config) => {
  config.url = config.url.replace('https://identity.xero.com', baseUrl).replace('https://api.xero.com', baseUrl);
  return config;
});

function check(condition, message) {
  if (!condition) {
    console.error('MISMATCH: ' + message);
    process.exit(1);
  }
  console.log('ok - ' + message);
}

// 1. refresh_token grant: a new (rotated) refresh token and a 30-minute access token
const xero = new XeroClient();
const tokenSet = await xero.refreshWithRefreshToken(clientId, clientSecret, refreshToken);
check(typeof tokenSet.access_token === 'string' && tokenSet.expires_in === 1800, 'refresh_token grant returned a 30-minute access token');
check(tokenSet.refresh_token && tokenSet.refresh_token !== refreshToken, 'the refresh token rotated');
xero.accountingApi.basePath = baseUrl + '/api.xro/2.0';

// 2. tenants through /connections, with each organisation's details
const tenants = await xero.updateTenants(true);
check(tenants.length >= 2, `updateTenants listed ${tenants.length} organisations`);
check(tenants.every((t) => t.tenantType === 'ORGANISATION' && t.orgData && t.orgData.organisationID === t.tenantId),
  'each tenant has its Organisation (getOrganisations)');
const tenantId = tenants.find((t) => t.tenantId).tenantId;

// 3. invoices: every page with pageSize, no duplicates, decimals and MS dates deserialized
let page = 1;
const seen = new Set();
let itemCount = -1;
for (;;) {
  const res = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, 'UpdatedDateUTC ASC', undefined, undefined,
    undefined, undefined, page, undefined, undefined, undefined, undefined, 250);
  const invoices = res.body.invoices;
  if (itemCount < 0) itemCount = res.body.pagination.itemCount;
  if (!invoices || invoices.length === 0) break;
  for (const inv of invoices) seen.add(inv.invoiceID);
  if (page === 1) {
    const inv = invoices[0];
    check(inv.updatedDateUTC instanceof Date && !isNaN(inv.updatedDateUTC), 'UpdatedDateUTC deserializes to a Date');
    check(typeof inv.total === 'number' && inv.lineItems.length > 0, 'totals and line items are present');
    const lines = inv.lineItems.reduce((s, l) => s + l.lineAmount, 0);
    check(Math.abs(lines - inv.subTotal) < 0.005, 'line amounts add up to the subtotal');
  }
  page++;
}
check(seen.size === itemCount && itemCount > 250, `paged through ${seen.size} invoices (pagination.itemCount ${itemCount})`);

// 4. If-Modified-Since: only invoices changed since the given time
const since = new Date('2025-05-01T00:00:00Z');
const recent = await xero.accountingApi.getInvoices(tenantId, since, undefined, undefined, undefined, undefined, undefined,
  undefined, 1, undefined, undefined, undefined, undefined, 100);
check(recent.body.invoices.length > 0 && recent.body.invoices.every((i) => i.updatedDateUTC >= since),
  `If-Modified-Since returned ${recent.body.pagination.itemCount} invoices, all changed since ${since.toISOString()}`);
check(recent.body.pagination.itemCount < itemCount, 'If-Modified-Since narrowed the list');

// 5. where + statuses
const paid = await xero.accountingApi.getInvoices(tenantId, undefined, 'Type=="ACCREC"', undefined, undefined, undefined, undefined,
  ['PAID'], 1);
check(paid.body.invoices.length > 0 && paid.body.invoices.every((i) => String(i.status) === 'PAID' && String(i.type) === 'ACCREC'),
  'where and Statuses filter invoices');

// 6. contacts and payments with If-Modified-Since and paging
const contacts = await xero.accountingApi.getContacts(tenantId, new Date('2020-01-01T00:00:00Z'), undefined, undefined, undefined, 1);
check(contacts.body.contacts.length > 0 && contacts.body.contacts[0].contactID, `contacts page 1 has ${contacts.body.contacts.length} contacts`);
let paymentCount = 0;
for (let p = 1; ; p++) {
  const res = await xero.accountingApi.getPayments(tenantId, new Date('2020-01-01T00:00:00Z'), undefined, undefined, p, 100);
  if (res.body.payments.length === 0) break;
  if (p === 1) check(res.body.payments.every((x) => typeof x.amount === 'number' && x.invoice && x.invoice.invoiceID), 'payments carry amount and invoice');
  paymentCount += res.body.payments.length;
}
check(paymentCount > 100, `paged through ${paymentCount} payments`);

// 7. journals by offset
const journals = await xero.accountingApi.getJournals(tenantId, undefined, 0);
const more = await xero.accountingApi.getJournals(tenantId, undefined, journals.body.journals.at(-1).journalNumber);
check(journals.body.journals.length === 100 && more.body.journals[0].journalNumber === 101, 'journals page by offset');

// 8. an unknown tenant is refused
let refused = false;
try {
  await xero.accountingApi.getInvoices('00000000-0000-0000-0000-000000000000');
} catch (e) {
  refused = JSON.stringify(e).includes('403');
}
check(refused, 'an unknown tenant id is refused with 403');

// 9. the old refresh token still works inside the grace period; a bad one is refused
const again = await new XeroClient().refreshWithRefreshToken(clientId, clientSecret, refreshToken);
check(again.refresh_token === tokenSet.refresh_token, 'the used refresh token, inside the grace period, returns the same successor');
let badRefused = false;
try {
  await new XeroClient().refreshWithRefreshToken(clientId, clientSecret, 'not-a-token');
} catch (e) {
  badRefused = JSON.stringify(e).includes('invalid_grant') || JSON.stringify(e).includes('400');
}
check(badRefused, 'an unknown refresh token is refused (invalid_grant)');

// 10. custom connection: client credentials, one tenant
if (customId && customSecret) {
  const custom = new XeroClient({ clientId: customId, clientSecret: customSecret, grantType: 'client_credentials', scopes: ['accounting.transactions'] });
  const cc = await custom.getClientCredentialsToken();
  check(typeof cc.access_token === 'string' && !cc.refresh_token, 'client_credentials grant returned an access token without refresh token');
  custom.accountingApi.basePath = baseUrl + '/api.xro/2.0';
  const ccTenants = await custom.updateTenants(false);
  check(ccTenants.length === 1, 'a custom connection reaches one organisation');
  const org = await custom.accountingApi.getOrganisations(ccTenants[0].tenantId);
  check(org.body.organisations[0].organisationID === ccTenants[0].tenantId, 'and reads it');
}

console.log('conformance: all checks passed');
