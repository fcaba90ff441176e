#!/usr/bin/env bash
# The insights API at scale: the gold tables bench/gold.sh builds from EVENTS events (5 M silver rows by default),
# served by the insights service, each endpoint timed with wrk beside a plain baseline from the same service and the
# same run — a static file (/app.css), which costs the HTTP stack and nothing else.
#   bench/insights.sh [EVENTS] [DAYS]   (defaults 5,000,000 and 30; runs bench/gold.sh first when its lake is missing;
#                                        needs wrk: apt-get install wrk)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-5000000}"
DAYS="${2:-30}"
WORK="$ROOT/run/bench-gold-$EVENTS"
PORT=18284
DURATION="${BENCH_DURATION:-20s}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
command -v wrk >/dev/null || { echo "bench/insights.sh needs wrk (apt-get install wrk)" >&2; exit 2; }
if [[ ! -d "$WORK/lake/gold/customer_value/_delta_log" ]]; then
  bench/gold.sh "$EVENTS" "$DAYS"
fi
source "$ROOT/bench/lib.sh"

./clickcartel build
QUARKUS_HTTP_PORT=$PORT ./clickcartel insights >"$WORK/insights.log" 2>&1 & PID=$!
await_service "$PORT" "insights (see $WORK/insights.log)" || exit 1
rows() { curl -s "localhost:$PORT/api/freshness" | grep -o '"rows":[0-9]*' | cut -d: -f2 | paste -sd+ | bc; }
until [[ "$(rows)" -gt 0 ]]; do sleep 1; done
echo "gold rows held: $(rows)"
first=$(curl -s "localhost:$PORT/api/filters" | sed -n 's/.*"first_date":"\([^"]*\)".*/\1/p')
last=$(curl -s "localhost:$PORT/api/filters" | sed -n 's/.*"last_date":"\([^"]*\)".*/\1/p')
week=$(date -u -d "$last - 6 days" +%F)

# measure NAME PATH: requests/s, p50 and p99 (ms) from wrk's latency distribution
measure() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: non-2xx answers" >&2; exit 1; fi
  echo "$1|$rps|$(to_ms "$p50")|$(to_ms "$p99")"
}
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.2f", n }'; }

results=()
results+=("$(measure "baseline: static /app.css" /app.css)")
results+=("$(measure "products, whole range, top 10" "/api/products?limit=10")")
results+=("$(measure "products, one week, one category" "/api/products?from=$week&to=$last&category=electronics&limit=10")")
results+=("$(measure "funnel, whole range" "/api/funnel?from=$first&to=$last")")
results+=("$(measure "sessions, whole range" "/api/sessions")")
results+=("$(measure "paths to a purchase, top 10" "/api/paths?converted=true&limit=10")")
results+=("$(measure "customers, top 10" "/api/customers?limit=10")")
results+=("$(measure "segments, one location" "/api/segments?location=London")")
results+=("$(measure "freshness" "/api/freshness")")
base_p99=$(cut -d'|' -f4 <<<"${results[0]}")
echo
echo "| request ($CONNECTIONS connections, $DURATION) | req/s | p50 ms | p99 ms | p99 / baseline |"
echo "|---|---|---|---|---|"
for line in "${results[@]}"; do
  IFS='|' read -r name rps p50 p99 <<<"$line"
  printf '| %s | %s | %s | %s | %.1f× |\n' "$name" "$rps" "$p50" "$p99" "$(echo "$p99 / $base_p99" | bc -l)"
done
insights_rss=$(peak_rss_of "$(pgrep -P "$PID" java || echo "$PID")")
echo
echo "insights service peak RSS: $insights_rss MB (${CLICKCARTEL_INSIGHTS_JAVA_OPTS:--Xmx256m})"
