-- wrk script: POSTs events to the ingest API. The URL's path picks the form: /v1/events/batch gets a JSON array of
-- BATCH_SIZE events (default 500), any other path (/v1/events) one event object per request.
-- Run (service and broker up, see docs/benchmarks.md and bench/ingest.sh):
--   wrk -t2 -c8 -d30s -s bench/ingest-batch.lua http://localhost:8080/v1/events/batch
--   wrk -t2 -c64 -d30s --latency -s bench/ingest-batch.lua http://localhost:8080/v1/events
-- Every request sends the same body (ingest does not de-duplicate; it assigns nothing from the body's id).
-- done() prints one line of key=value figures: requests/s counts the accepted requests only (an error answer is
-- not throughput); events/s = requests/s x events per request (every 202 means Kafka acknowledged all of them); latencies in ms are wrk's per request; non_2xx counts responses >= 400 (ingest
-- answers 202 or an error), socket_errors wrk's connect/read/write errors and timeouts.
local batched = wrk.path:match("/batch$") ~= nil
local batch = batched and tonumber(os.getenv("BATCH_SIZE") or "500") or 1
local key = os.getenv("CLICKCARTEL_WRITE_KEY") or "local-dev-key"
local types = { "view_product", "view_product", "view_product", "add_to_cart", "purchase" }
local events = {}
for i = 1, batch do
  events[i] = string.format(
    '{"event_id":"bench-%d","timestamp":"2024-05-01T12:%02d:00Z","user_id":"u-%d","event_type":"%s","product_id":"p-%d","quantity":1}',
    i, i % 60, i % 997, types[(i % #types) + 1], i % 503)
end
wrk.method = "POST"
wrk.body = batched and ("[" .. table.concat(events, ",") .. "]") or events[1]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Write-Key"] = key

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "%s, %d event(s) per request: requests/s=%.1f events/s=%.0f p50_ms=%.2f p99_ms=%.2f non_2xx=%d socket_errors=%d requests=%d\n",
    wrk.path, batch, (summary.requests - e.status) / secs, (summary.requests - e.status) / secs * batch,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout, summary.requests))
end
