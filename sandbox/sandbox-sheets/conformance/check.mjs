// Reads the Tributary Sheets sandbox with Google's official Node client (@googleapis/sheets), pointed at it
// with rootUrl. Usage: node check.mjs <baseUrl> <spreadsheetId> <apiKey> <clientId> <clientSecret> <refreshToken> <keyFile>
import { sheets, auth } from '@googleapis/sheets';
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const [baseUrl, spreadsheetId, apiKey, clientId, clientSecret, refreshToken, keyFile] = process.argv.slice(2);
if (!keyFile) {
  console.error('usage: node check.mjs <baseUrl> <spreadsheetId> <apiKey> <clientId> <clientSecret> <refreshToken> <keyFile>');
  process.exit(2);
}
const rootUrl = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
const step = (name) => console.log('ok: ' + name);

async function readAll(client, label) {
  const meta = await client.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties' });
  const titles = meta.data.sheets.map((s) => s.properties.title);
  assert.deepEqual(titles.slice(0, 3), ['Leads', "Bob's Import", 'Leads 2026']);
  assert.ok(meta.data.sheets[0].properties.gridProperties.rowCount >= 1000);
  assert.equal(meta.data.spreadsheetId, undefined, 'the fields mask leaves spreadsheetId out');
  step(label + ': spreadsheets.get with fields=sheets.properties');

  const whole = await client.spreadsheets.values.get({ spreadsheetId, range: 'Leads 2026' });
  assert.equal(whole.data.range, "'Leads 2026'!A1:F5");
  assert.deepEqual(whole.data.values[3], []);
  assert.deepEqual(whole.data.values[4], ['Hooli', 'Wen', 'Tanaka', '', '3/1/2026']);
  step(label + ': values.get of a quoted title, trimmed rows and interior blanks');

  const typed = await client.spreadsheets.values.get({
    spreadsheetId, range: "'Leads 2026'!E2:F3", valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER',
  });
  assert.deepEqual(typed.data.values, [[46027, true], [46067, false]]);
  const cols = await client.spreadsheets.values.get({ spreadsheetId, range: "'Bob''s Import'!A:A", majorDimension: 'COLUMNS' });
  assert.equal(cols.data.range, "'Bob''s Import'!A1:A7");
  assert.equal(cols.data.values[0][1], 'Company');
  step(label + ': UNFORMATTED_VALUE serial dates, COLUMNS of a whole column with an apostrophe');

  const batch = await client.spreadsheets.values.batchGet({
    spreadsheetId, ranges: ['Leads!A1:L1', 'Empty', "'Bob''s Import'!E8:F8"], valueRenderOption: 'FORMULA',
  });
  assert.equal(batch.data.valueRanges.length, 3);
  assert.equal(batch.data.valueRanges[0].values[0][3], ' Email ');
  assert.equal(batch.data.valueRanges[1].values, undefined);
  assert.deepEqual(batch.data.valueRanges[2].values, [['sum', '=SUM(E3:E7)']]);
  step(label + ': values.batchGet with FORMULA, an empty tab without values');

  await assert.rejects(client.spreadsheets.values.get({ spreadsheetId, range: 'Nope!A1' }),
    (e) => e.code === 400 && /Unable to parse range/.test(e.message));
  step(label + ': a bad range is a 400 the client reports');
}

// 1. API key (public sheet)
await readAll(sheets({ version: 'v4', rootUrl, auth: apiKey }), 'api key');

// 2. OAuth user refresh token, refreshed by the client's own OAuth2Client at the sandbox's token URL
const oauth = new auth.OAuth2({ clientId, clientSecret, endpoints: { oauth2TokenUrl: rootUrl + 'token' } });
oauth.setCredentials({ refresh_token: refreshToken });
await readAll(sheets({ version: 'v4', rootUrl, auth: oauth }), 'refresh token');
step('refresh_token grant through the OAuth2 client');

// 3. Service account. The Node library posts assertions to Google's fixed URL whatever token_uri says, so the
// assertion is signed here (RS256, aud = Google's URL, as the library would) and exchanged at the key file's token_uri.
const key = JSON.parse(readFileSync(keyFile, 'utf8'));
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const unsigned = b64({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id }) + '.' + b64({
  iss: key.client_email, aud: 'https://oauth2.googleapis.com/token', iat: now, exp: now + 3600,
  scope: 'https://www.googleapis.com/auth/spreadsheets.readonly https://www.googleapis.com/auth/drive.metadata.readonly',
});
const signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key).toString('base64url');
const res = await fetch(key.token_uri, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: unsigned + '.' + signature }),
});
assert.equal(res.status, 200, 'service-account exchange: ' + (await res.clone().text()));
const saToken = (await res.json()).access_token;
const sa = new auth.OAuth2();
sa.setCredentials({ access_token: saToken });
await readAll(sheets({ version: 'v4', rootUrl, auth: sa }), 'service account');
step('service-account JWT exchanged at token_uri');

console.log('conformance: all checks passed');
