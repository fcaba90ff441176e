-- wrk script: POSTs batches of BATCH_SIZE events (default 500) to /v1/events/batch.
-- Run (service and broker up, see docs/benchmarks.md):
--   wrk -t2 -c8 -d30s -s bench/ingest-batch.lua http://localhost:8080/v1/events/batch
-- events/s = wrk's Requests/sec x BATCH_SIZE (every 202 means Kafka acknowledged all of them).
local batch = tonumber(os.getenv("BATCH_SIZE") or "500")
local key = os.getenv("CLICKCARTEL_WRITE_KEY") or "local-dev-key"
local types = { "view_product", "view_product", "view_product", "add_to_cart", "purchase" }
local events = {}
for i = 1, batch do
  events[i] = string.format(
    '{"event_id":"bench-%d","timestamp":"2024-05-01T12:%02d:00Z","user_id":"u-%d","event_type":"%s","product_id":"p-%d","quantity":1}',
    i, i % 60, i % 997, types[(i % #types) + 1], i % 503)
end
wrk.method = "POST"
wrk.body = "[" .. table.concat(events, ",") .. "]"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Write-Key"] = key

done = function(summary, latency, requests)
  io.write(string.format("batch size %d: %.0f events/s, non-202 responses: %d\n",
    batch, summary.requests / (summary.duration / 1e6) * batch, summary.errors.status))
end
