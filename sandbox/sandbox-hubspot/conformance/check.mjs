// Conformance check: HubSpot's official Node client, pointed at the sandbox with basePath, must be able to read
// everything a connector reads. Usage: node check.mjs <baseUrl> <privateAppToken> <clientId> <clientSecret> <refreshToken>
// Exits 0 when every check passes, 1 on the first mismatch, 2 on bad usage.
import hubspot from '@hubspot/api-client';

const [baseUrl, token, clientId, clientSecret, refreshToken] = process.argv.slice(2);
if (!baseUrl || !token) {
  console.error('usage: node check.mjs <baseUrl> <privateAppToken> [clientId clientSecret refreshToken]');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) {
    console.error('MISMATCH: ' + message);
    process.exit(1);
  }
  console.log('ok - ' + message);
}

const client = new hubspot.Client({ accessToken: token, basePath: baseUrl });

// 1. getAll pages through every contact with the list endpoint (limit 100, after cursors)
const all = await client.crm.contacts.getAll(100, undefined, ['email', 'lifecyclestage']);
const ids = new Set(all.map((c) => c.id));
check(all.length > 100, `getAll returned ${all.length} contacts over several pages`);
check(ids.size === all.length, 'getAll returned no duplicate ids');
check(all.every((c) => c.createdAt instanceof Date && !isNaN(c.createdAt)), 'createdAt parses as a date');
check(all.every((c) => 'email' in c.properties), 'requested properties are present');

// 2. search with a filter, a sort and paging
const since = Date.parse('2022-01-01T00:00:00Z');
const page1 = await client.crm.contacts.searchApi.doSearch({
  filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) }] }],
  sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
  properties: ['email', 'lastmodifieddate'],
  limit: 100,
  after: '0',
});
check(page1.total > 0 && page1.results.length > 0, `search found ${page1.total} contacts modified since 2022`);
check(page1.results.every((c) => Date.parse(c.properties.lastmodifieddate) >= since), 'search honoured the GTE filter');
const sorted = page1.results.every((c, i) => i === 0 || c.updatedAt >= page1.results[i - 1].updatedAt);
check(sorted, 'search results sorted ascending by lastmodifieddate');
if (page1.total > 100) check(page1.paging?.next?.after === '100', 'search paging.next.after is an offset');

// 3. batch read by id
const some = all.slice(0, 5).map((c) => ({ id: c.id }));
const batch = await client.crm.contacts.batchApi.read({ inputs: some, properties: ['email'], propertiesWithHistory: ['lifecyclestage'] });
check(batch.status === 'COMPLETE' && batch.results.length === 5, 'batch read returned the 5 contacts');
check(batch.results.every((c) => Array.isArray(c.propertiesWithHistory?.lifecyclestage)), 'batch read includes property history');

// 4. associations v4: batch read with per-input paging, and the single-record endpoint
const companies = await client.crm.companies.basicApi.getPage(100);
const companyIds = companies.results.map((c) => c.id);
const assoc = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: companyIds.map((id) => ({ id })) });
check(assoc.results.length > 0, `associations batch read answered for ${assoc.results.length} companies`);
let total = 0;
for (const r of assoc.results) {
  let after = r.paging?.next?.after;
  total += r.to.length;
  while (after) {
    const more = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: r._from.id, after }] });
    total += more.results[0].to.length;
    after = more.results[0].paging?.next?.after;
  }
}
check(total > 0, `followed per-input paging to ${total} company-contact associations`);
const first = assoc.results[0];
const single = await client.crm.associations.v4.basicApi.getPage('companies', first._from.id, 'contacts', undefined, 500);
check(single.results.length > 0 && typeof single.results[0].toObjectId === 'number', 'single-record associations endpoint');
check(single.results[0].associationTypes.every((t) => ['HUBSPOT_DEFINED', 'USER_DEFINED'].includes(t.category)), 'association categories');

// 5. properties, owners and pipelines
const props = await client.crm.properties.coreApi.getAll('contacts');
check(props.results.some((p) => p.name === 'email' && p.type === 'string'), 'properties API lists email');
const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100);
check(owners.results.length > 0, 'owners API');
const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
check(pipelines.results.length > 0 && pipelines.results[0].stages.length > 0, 'deal pipelines with stages');

// 6. OAuth: refresh an access token, use it, and introspect it
if (clientId && clientSecret && refreshToken) {
  const oauthClient = new hubspot.Client({ basePath: baseUrl });
  const tokens = await oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, refreshToken);
  check(typeof tokens.accessToken === 'string' && tokens.expiresIn > 0, 'refresh_token grant returned an access token');
  const info = await oauthClient.oauth.accessTokensApi.get(tokens.accessToken);
  check(info.hubId > 0, `access token belongs to hub ${info.hubId}`);
  const viaOAuth = new hubspot.Client({ accessToken: tokens.accessToken, basePath: baseUrl });
  const onePage = await viaOAuth.crm.contacts.basicApi.getPage(1);
  check(onePage.results.length === 1, 'the refreshed access token reads contacts');
  let refused = false;
  try {
    await oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, 'na1-invalid');
  } catch (e) {
    refused = e.code === 400 && String(e.body?.status ?? JSON.stringify(e.body)).includes('BAD_REFRESH_TOKEN');
  }
  check(refused, 'a bad refresh token is refused with 400 BAD_REFRESH_TOKEN');
}

console.log('conformance: all checks passed');
