// Drives the member writes Vigil's `review apply` makes (Cloudflare's "Update Member" and "Remove Member") through
// Cloudflare's official TypeScript SDK against an API that claims to be Cloudflare's (in tests: the simulator), and
// prints one JSON line with what the SDK made of each answer. The SDK parses the envelope itself, so a shape it cannot
// read fails here.
//
// Input (environment only, so no token shows in a process listing):
//   CF_BASE_URL, CF_API_TOKEN (a token with Account Settings Write), CF_READ_TOKEN (one without),
//   CF_ACCOUNT_ID, CF_UPDATE_MEMBER_ID, CF_ROLE_ID, CF_DELETE_MEMBER_ID
// Output: {"updated":{"id","roles":[ids]},"deleted":{"id"},"refused":{"status","codes":[...]},"gone":{"status"}}
import Cloudflare from 'cloudflare';

function env(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`member-writes: environment variable ${name} is not set\n`);
    process.exit(1);
  }
  return value;
}

const baseURL = env('CF_BASE_URL');
const accountId = env('CF_ACCOUNT_ID');
const options = { baseURL, apiKey: null, apiEmail: null, userServiceKey: null, maxRetries: 0, timeout: 10_000 };
const writer = new Cloudflare({ ...options, apiToken: env('CF_API_TOKEN') });
const reader = new Cloudflare({ ...options, apiToken: env('CF_READ_TOKEN') });

async function failure(call) {
  try {
    await call();
  } catch (error) {
    return { status: error.status ?? null, codes: (error.errors ?? []).map((e) => e.code) };
  }
  return { status: 'no error' };
}

const updated = await writer.accounts.members.update(env('CF_UPDATE_MEMBER_ID'), { account_id: accountId, roles: [{ id: env('CF_ROLE_ID') }] });
const refused = await failure(() => reader.accounts.members.delete(env('CF_DELETE_MEMBER_ID'), { account_id: accountId }));
const deleted = await writer.accounts.members.delete(env('CF_DELETE_MEMBER_ID'), { account_id: accountId });
const gone = await failure(() => writer.accounts.members.delete(env('CF_DELETE_MEMBER_ID'), { account_id: accountId }));

process.stdout.write(JSON.stringify({
  updated: { id: updated.id, roles: (updated.roles ?? []).map((r) => r.id), status: updated.status, email: updated.email ?? updated.user?.email },
  deleted: { id: deleted?.id ?? null },
  refused,
  gone,
}) + '\n');
