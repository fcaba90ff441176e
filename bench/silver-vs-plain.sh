#!/usr/bin/env bash
# Silver against a plain Spark job doing the same work (bench/PlainSilver.java), on the same bronze backlog, the same
# Spark settings, heap and batch size: the plain job runs before and after the service, and each figure is rows
# read per second inside micro-batches (batches that read rows; Spark's own batch times). Prints the ratio.
#   bench/silver-vs-plain.sh [EVENTS] [DAYS]   (defaults 200,000 and 1; needs nothing running; works in ./run/bench-silver-plain)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-200000}"
DAYS="${2:-1}"
WORK="$ROOT/run/bench-silver-plain"
rm -rf "$WORK" && mkdir -p "$WORK"
source "$ROOT/bench/lib.sh"
source "$ROOT/bench/report.sh"
HEAP=-Xmx900m # the launcher's default for the silver service
DELAY="10 minutes"   # the silver service's default watermark delay
BATCH=256m    # run_silver's bytes per batch

./clickcartel build
generate "$WORK/data" "$EVENTS" "$DAYS"
./clickcartel datagen land --from "$WORK/data" --to "$WORK/landing"
lines=$(cat "$WORK"/data/events/2-main-landing/*.jsonl | wc -l)
land_in_bronze 18181 "$lines"
echo "bronze holds $lines rows"

plain() { # RUN: the plain job over the whole backlog; prints its rows/s inside batches
  spark_program silver-processor $HEAP "$ROOT/bench/PlainSilver.java" "$CLICKCARTEL_LAKE/bronze/events" "$WORK/plain-$1" "$WORK/plain-$1-checkpoint" \
    "$CLICKCARTEL_SILVER_CUSTOMERS" "$CLICKCARTEL_SILVER_PRODUCTS" "$DELAY" "$BATCH" 2>>"$WORK/plain.log" \
    | tee -a "$WORK/plain.log" | awk '/^plain rows/ { printf "%.0f", $3 / $5 }'
}

first=$(plain 1)
echo "plain job (before): $first rows/s inside batches"
QUARKUS_HTTP_PORT=18182 CLICKCARTEL_SILVER_JAVA_OPTS=$HEAP CLICKCARTEL_SILVER_MAX_BYTES_PER_TRIGGER=$BATCH \
  ./clickcartel silver >>"$WORK/silver.log" 2>&1 & PID=$!
await_rows 18182 silver-events "$lines" || { echo "see $WORK/silver.log"; exit 1; }
rows=$(stream_rows 18182 silver-events)
busy=$(metric_value 18182 clickcartel_stream_busy_seconds_total '{query="silver-events"}')
peak_mb=$(peak_rss_mb silver-processor/target/quarkus-app)
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
silver=$(awk -v rows="$rows" -v secs="$busy" 'BEGIN { printf "%.0f", rows / secs }')
echo "silver service: $silver rows/s inside batches ($rows rows in $busy s)"
second=$(plain 2)
echo "plain job (after): $second rows/s inside batches"
awk -v s="$silver" -v a="$first" -v b="$second" 'BEGIN {
  printf "silver / plain job: %.2f (plain job runs: %d and %d rows/s; silver %d rows/s)\n", s / ((a + b) / 2), a, b, s }'

plain=$(awk -v a="$first" -v b="$second" 'BEGIN { printf "%.0f", (a + b) / 2 }')
report_section silver "Silver beside a plain Spark job" "bench/silver-vs-plain.sh $EVENTS $DAYS"
report "A bronze backlog of $(thousands "$lines") landed rows, read by the silver processor and, before and after it, by" \
  "\`bench/PlainSilver.java\`: the same work written the usual way — \`from_json\`, filters for the required fields," \
  "the event type and the quantity, the event time from ISO-8601 or epoch milliseconds, \`withWatermark\` +" \
  "\`dropDuplicatesWithinWatermark\`, broadcast joins with both reference files, Delta append by date — without the" \
  "typed contract check, the quarantine and the data-quality log. Same Spark settings, heap ($HEAP) and batch size" \
  "($BATCH); rows read per second inside micro-batches." "" \
  "| | rows/s inside batches | ratio |" "|---|---|---|" \
  "| plain job, before the service | $(thousands "$first") | |" \
  "| silver processor (one query: each row read and checked once; silver, quarantine and its log written per batch) | $(thousands "$silver") | **$(ratio "$silver" "$plain")×** the plain job's mean |" \
  "| plain job, after the service | $(thousands "$second") | |" "" \
  "Peak RSS of the silver processor: $(thousands "$peak_mb") MB." ""
report_summary "silver, rows/s inside batches" "$(thousands "$silver")" "$(thousands "$plain") (plain Spark job)" \
  "$(ratio "$silver" "$plain")×" "≥ 1.0×"
