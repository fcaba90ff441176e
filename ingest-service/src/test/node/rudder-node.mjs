// Sends one run of messages (sdk-run.mjs) with the real @rudderstack/rudder-sdk-node to ingest-service.
//   node rudder-node.mjs --host http://localhost:8080 --run-id r1   (write key in CLICKCARTEL_WRITE_KEY)
// The SDK posts {"batch":[…],"timestamp":…,"sentAt":…} gzipped (Content-Encoding: gzip) to dataPlaneUrl+path with
// Basic auth; its messages carry originalTimestamp, not timestamp. Its first call is flushed at once, alone.
import Analytics from '@rudderstack/rudder-sdk-node';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { authScheme, calls, describe, finish, settings, watchdog } from './sdk-run.mjs';

const { host, writeKey, runId, path, timeoutMs } = settings();
const version = createRequire(import.meta.url)('@rudderstack/rudder-sdk-node/package.json').version;
const earlier = new Date(Date.now() - 10 * 60 * 1000);
const report = { sdk: '@rudderstack/rudder-sdk-node', version, runId, host, path, earlier: earlier.toISOString(),
  messages: [], requests: [], responses: [], errors: [] };
watchdog(timeoutMs, report);

const analytics = new Analytics(writeKey, {
  dataPlaneUrl: host,
  path,
  flushAt: 50,
  flushInterval: 60000,
  timeout: 10000,
  retryCount: 2, // a 5xx or network error is retried twice, then reported
  logLevel: 'error',
  // Without it a failed flush rejects a promise nobody awaits; with it the error reaches each message's callback.
  errorHandler: (err) => report.errors.push(`flush: ${describe(err)}`),
});

// Record what goes over the wire and what comes back (the SDK only looks at the status).
analytics.axiosInstance.interceptors.request.use((config) => {
  const headers = config.headers?.toJSON ? config.headers.toJSON() : { ...config.headers };
  const header = (name) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
  let bodyKeys = null;
  let batchSize = null;
  try {
    const raw = Buffer.isBuffer(config.data) ? config.data : Buffer.from(String(config.data));
    const parsed = JSON.parse((header('content-encoding') === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
    bodyKeys = Object.keys(parsed);
    batchSize = parsed.batch?.length ?? null;
  } catch (e) {
    bodyKeys = [`unreadable: ${e.message}`];
  }
  report.requests.push({ method: config.method?.toUpperCase(), url: `${config.baseURL ?? ''}${config.url}`,
    contentEncoding: header('content-encoding'),
    authorization: config.auth ? 'Basic (axios auth.username)' : authScheme(header('authorization')),
    bodyKeys, batchSize });
  return config;
});
analytics.axiosInstance.interceptors.response.use((response) => {
  report.responses.push({ status: response.status, contentType: response.headers?.['content-type'] ?? null,
    body: typeof response.data === 'string' ? response.data : JSON.stringify(response.data) });
  return response;
}, (error) => {
  if (error.response) {
    report.responses.push({ status: error.response.status, contentType: error.response.headers?.['content-type'],
      body: typeof error.response.data === 'string' ? error.response.data : JSON.stringify(error.response.data) });
  }
  return Promise.reject(error);
});

const delivered = calls(runId, earlier).map(([method, { time, ...message }]) => new Promise((resolve) => {
  const sent = time ? { ...message, originalTimestamp: time } : message;
  analytics[method](sent, (err) => {
    if (err) report.errors.push(`${method} ${message.messageId}: ${describe(err)}`);
    report.messages.push({ method, messageId: message.messageId, event: message.event ?? null,
      userId: message.userId ?? null, anonymousId: message.anonymousId ?? null, delivered: !err });
    resolve();
  });
}));

try {
  // flush() sends at most flushAt messages and waits for the flush before it: repeat until the queue is empty.
  do {
    await analytics.flush();
  } while (analytics.queue.length > 0);
  await Promise.all(delivered);
} catch (err) {
  report.errors.push(`flush: ${describe(err)}`);
}
if (report.messages.length !== delivered.length) report.errors.push('not every message reported back');
finish(report);
