// Sends one run of messages (sdk-run.mjs) with the real @segment/analytics-node to ingest-service.
//   node segment-node.mjs --host http://localhost:8080 --run-id r1   (write key in CLICKCARTEL_WRITE_KEY)
// The SDK posts {"batch":[…],"writeKey":…,"sentAt":…} as application/json to host+path, with Basic auth.
import { Analytics } from '@segment/analytics-node';
import { createRequire } from 'node:module';
import { authScheme, calls, describe, finish, settings, watchdog } from './sdk-run.mjs';

const { host, writeKey, runId, path, timeoutMs } = settings();
const version = createRequire(import.meta.url)('@segment/analytics-node/package.json').version;
const earlier = new Date(Date.now() - 10 * 60 * 1000);
const report = { sdk: '@segment/analytics-node', version, runId, host, path, earlier: earlier.toISOString(),
  messages: [], requests: [], responses: [], errors: [] };
watchdog(timeoutMs, report);

// The SDK's own fetch-based client, with the answer's body recorded (the SDK itself only looks at the status).
async function recordingFetch(url, init) {
  const response = await globalThis.fetch(url, init);
  const body = await response.clone().text();
  report.responses.push({ status: response.status, contentType: response.headers.get('content-type'), body });
  return response;
}

const analytics = new Analytics({
  writeKey,
  host,
  path,
  flushAt: 50, // everything in one batch, sent by closeAndFlush
  flushInterval: 60000,
  httpRequestTimeout: 10000,
  maxRetries: 2, // a 5xx is retried twice, then reported as a delivery failure
  httpClient: recordingFetch,
});

analytics.on('http_request', ({ method, url, headers, body }) => {
  const parsed = JSON.parse(body);
  report.requests.push({
    method, url,
    contentType: headers['Content-Type'] ?? null,
    contentEncoding: headers['Content-Encoding'] ?? null,
    authorization: authScheme(headers['Authorization']),
    bodyKeys: Object.keys(parsed),
    batchSize: parsed.batch.length,
  });
});
analytics.on('error', (err) => report.errors.push(`${err.code}: ${describe(err.reason)}`));

const delivered = calls(runId, earlier).map(([method, { time, ...message }]) => new Promise((resolve) => {
  const sent = time ? { ...message, timestamp: time } : message;
  analytics[method](sent, (err, ctx) => {
    if (err) report.errors.push(`${method} ${message.messageId}: ${describe(err)}`);
    report.messages.push({ method, messageId: ctx?.event?.messageId ?? message.messageId, event: message.event ?? null,
      userId: message.userId ?? null, anonymousId: message.anonymousId ?? null,
      timestamp: ctx?.event?.timestamp ? new Date(ctx.event.timestamp).toISOString() : null, delivered: !err });
    resolve();
  });
}));

try {
  await analytics.closeAndFlush({ timeout: timeoutMs });
  await Promise.all(delivered);
} catch (err) {
  report.errors.push(`closeAndFlush: ${describe(err)}`);
}
if (report.messages.length !== delivered.length) report.errors.push('not every message reported back');
finish(report);
