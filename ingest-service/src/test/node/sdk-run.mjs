// Shared by segment-node.mjs and rudder-node.mjs: the settings of a run and the messages both SDKs send.
//
// Settings come from arguments or environment variables:
//   --host URL       / CLICKCARTEL_INGEST_URL   the service's base URL, e.g. http://localhost:8081
//   --write-key KEY  / CLICKCARTEL_WRITE_KEY    the write key (prefer the variable: arguments show in `ps`)
//   --run-id ID      / CLICKCARTEL_RUN_ID       makes every messageId, user and product of this run unique
//   --path PATH      / CLICKCARTEL_INGEST_PATH  the batch route, default /v1/batch
//   --timeout-ms N   / CLICKCARTEL_SDK_TIMEOUT_MS  give up (exit 3) after this long, default 60000
//
// Exit codes: 0 every message delivered, 1 the SDK reported a delivery error, 2 bad settings, 3 timed out.
// The last line on stdout is one JSON object: {sdk, version, runId, messages: [...], responses: [...], errors: [...]}.

const ID = /^[A-Za-z0-9._:-]{1,40}$/;

export function settings(argv = process.argv.slice(2), env = process.env) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) fail(`unexpected argument ${argv[i]}`);
    args[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  const host = args['host'] ?? env.CLICKCARTEL_INGEST_URL;
  const writeKey = args['write-key'] ?? env.CLICKCARTEL_WRITE_KEY;
  const runId = args['run-id'] ?? env.CLICKCARTEL_RUN_ID;
  const path = args['path'] ?? env.CLICKCARTEL_INGEST_PATH ?? '/v1/batch';
  const timeoutMs = Number(args['timeout-ms'] ?? env.CLICKCARTEL_SDK_TIMEOUT_MS ?? 60000);
  if (!host || !/^https?:\/\//.test(host)) fail('--host (or CLICKCARTEL_INGEST_URL) must be an http(s) URL');
  if (!writeKey) fail('--write-key (or CLICKCARTEL_WRITE_KEY) is required');
  if (!runId || !ID.test(runId)) fail('--run-id (or CLICKCARTEL_RUN_ID) must be 1-40 characters of [A-Za-z0-9._:-]');
  if (!path.startsWith('/')) fail('--path must start with /');
  if (!(timeoutMs > 0)) fail('--timeout-ms must be a positive number');
  return { host: host.replace(/\/+$/, ''), writeKey, runId, path, timeoutMs };
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

/**
 * The calls of a run, in order: [method, message]. The messageIds are the run id plus a suffix, so the test knows
 * every event id in advance. Four calls are commerce events the service maps (Order Completed to two purchases);
 * the identify and the Product List Viewed track must be ignored. `earlier` is a fixed time in the past that the
 * first Product Viewed carries as its own time (the others carry the SDK's time).
 */
export function calls(runId, earlier) {
  const user = `${runId}-user`;
  return [
    ['track', {
      messageId: `${runId}-pv`, userId: user, anonymousId: `${runId}-anon-of-user`, event: 'Product Viewed',
      properties: { product_id: `${runId}-p1`, sku: `${runId}-sku-not-used`, name: 'Tea pot', price: 19.5 },
      time: earlier,
    }],
    ['track', {
      messageId: `${runId}-pa`, userId: user, event: 'Product Added',
      properties: { sku: `${runId}-p2`, quantity: 2, price: 4.25, cart_id: `${runId}-cart` },
    }],
    ['track', {
      messageId: `${runId}-oc`, userId: user, event: 'Order Completed',
      properties: {
        order_id: `${runId}-order`, total: 32.0, currency: 'EUR',
        products: [
          { product_id: `${runId}-p1`, quantity: 1, price: 19.5 },
          { id: `${runId}-p3`, quantity: 3, price: 4.25 },
        ],
      },
    }],
    ['track', {
      // anonymous only, and the event name in another case
      messageId: `${runId}-anon`, anonymousId: `${runId}-visitor`, event: 'product viewed',
      properties: { product_id: `${runId}-p4` },
    }],
    ['identify', {
      messageId: `${runId}-identify`, userId: user, traits: { email: `${runId}@example.test`, plan: 'gold' },
    }],
    ['track', {
      messageId: `${runId}-plv`, userId: user, event: 'Product List Viewed',
      properties: { list_id: 'hot-deals', products: [{ product_id: `${runId}-p1` }] },
    }],
  ];
}

/** Ends the process with the report line and the exit code its errors call for. */
export function finish(report) {
  const code = report.errors.length ? 1 : 0;
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(code));
}

/** Exits with 3 if the run has not finished after timeoutMs. */
export function watchdog(timeoutMs, report) {
  const timer = setTimeout(() => {
    report.errors.push(`timed out after ${timeoutMs} ms`);
    process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(3));
  }, timeoutMs);
  timer.unref();
}

/** Only the scheme of an Authorization header, never the credentials. */
export function authScheme(value) {
  return value ? String(value).split(' ')[0] : null;
}

export function describe(error) {
  if (!error) return 'unknown error';
  if (error.response) return `HTTP ${error.response.status} ${error.response.statusText ?? ''}`.trim();
  return String(error.message ?? error) + (error.code ? ` (${error.code})` : '');
}
