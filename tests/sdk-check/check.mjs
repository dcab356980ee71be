// Drives an API that claims to be Cloudflare's v4 API (in tests: the simulator) with Cloudflare's official
// TypeScript SDK, using the SDK's own auto-pagination, and prints one JSON line with what it saw.
//
// Input comes from the environment only, so the token never appears in a process listing:
//   CF_BASE_URL   e.g. http://127.0.0.1:5123/client/v4
//   CF_API_TOKEN  an API token the server accepts
// Optional: CF_MAX_REQUESTS (default 500) caps HTTP requests, CF_DEADLINE_MS (default 30000) caps wall time,
// so a server that never ends a listing fails the check instead of hanging CI.
//
// Output (stdout, one line): {"accounts":n,"members":n,"zones":n,"requests":n,"ids_sha256":{...}}
// Exit code 0 on success; 1 with a message on stderr otherwise.
import { createHash } from 'node:crypto';
import Cloudflare from 'cloudflare';

function fail(message) {
  process.stderr.write(`sdk-check: ${message}\n`);
  process.exit(1);
}

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) fail(`environment variable ${name} is not set`);
  return value;
}

function positiveIntEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(value) || value <= 0) fail(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const baseURL = requiredEnv('CF_BASE_URL');
const apiToken = requiredEnv('CF_API_TOKEN');
const maxRequests = positiveIntEnv('CF_MAX_REQUESTS', 500);
const deadlineMs = positiveIntEnv('CF_DEADLINE_MS', 30_000);

setTimeout(() => fail(`did not finish within ${deadlineMs} ms (a listing that never ends?)`), deadlineMs).unref();

let requests = 0;
async function countingFetch(input, init) {
  requests += 1;
  if (requests > maxRequests) {
    throw new Error(`more than ${maxRequests} requests: pagination does not terminate`);
  }
  return fetch(input, init);
}

const client = new Cloudflare({
  apiToken,
  baseURL,
  // The SDK would otherwise pick these up from CLOUDFLARE_* variables of whoever runs the check.
  apiKey: null,
  apiEmail: null,
  userServiceKey: null,
  // A contract check reports the first failure as it is; retries would only hide it and slow the run.
  maxRetries: 0,
  timeout: 10_000,
  fetch: countingFetch,
});

async function collectIds(iterable, what) {
  const ids = [];
  const seen = new Set();
  for await (const item of iterable) {
    if (typeof item?.id !== 'string' || item.id === '') fail(`${what}: an item without a string id`);
    // Checked as items arrive: a server that repeats a page (GET /accounts with an account-owned token) would
    // otherwise keep the SDK paginating until the request cap.
    if (seen.has(item.id)) fail(`${what}: id ${item.id} came back on a later page (after ${ids.length} items, ${requests} requests)`);
    seen.add(item.id);
    ids.push(item.id);
  }
  return ids;
}

function sha256OfSortedIds(ids) {
  return createHash('sha256').update([...ids].sort().join('\n')).digest('hex');
}

try {
  const accountIds = await collectIds(client.accounts.list(), 'accounts');
  const memberIds = [];
  for (const accountId of accountIds) {
    memberIds.push(...(await collectIds(client.accounts.members.list({ account_id: accountId }), `members of ${accountId}`)));
  }
  const zoneIds = await collectIds(client.zones.list(), 'zones');

  process.stdout.write(
    JSON.stringify({
      accounts: accountIds.length,
      members: memberIds.length,
      zones: zoneIds.length,
      requests,
      ids_sha256: {
        accounts: sha256OfSortedIds(accountIds),
        members: sha256OfSortedIds(memberIds),
        zones: sha256OfSortedIds(zoneIds),
      },
    }) + '\n',
  );
  process.exit(0);
} catch (error) {
  // SDK errors carry status and the server's message; neither contains the token.
  const status = error?.status ? ` (HTTP ${error.status})` : '';
  fail(`${error?.name ?? 'Error'}${status}: ${error?.message ?? String(error)}`);
}
