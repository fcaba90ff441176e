#!/usr/bin/env bash
# Sustained silver throughput: land EVENTS generated events (landing files, so no broker is needed) in bronze with
# the bronze writer, stop it, then start the silver processor on that backlog and time how long it takes to read it.
#   bench/silver-throughput.sh [EVENTS] [DAYS]   (defaults 1,000,000 and 1; needs nothing running; works in ./run/bench-silver)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-1000000}"
DAYS="${2:-1}"
WORK="$ROOT/run/bench-silver"
rm -rf "$WORK" && mkdir -p "$WORK"
source "$ROOT/bench/lib.sh"

./clickcartel build
generate "$WORK/data" "$EVENTS" "$DAYS"
./clickcartel datagen land --from "$WORK/data" --to "$WORK/landing"
lines=$(cat "$WORK"/data/events/2-main-landing/*.jsonl | wc -l)

land_in_bronze 18181 "$lines"
echo "bronze holds $lines rows; starting silver on that backlog"

started=$(date +%s.%N)
QUARKUS_HTTP_PORT=18182 ./clickcartel silver >"$WORK/silver.log" 2>&1 & PID=$!
await_rows 18182 silver-events "$lines" || { echo "see $WORK/silver.log"; exit 1; }
finished=$(date +%s.%N)
# rows read are not rows kept: a backlog out of event-time order loses rows behind the watermark (too late)
echo "silver kept $(metric 18182 clickcartel_stream_observed_total '{metric="written.rows",query="silver-events"}') rows;" \
  "dropped $(metric 18182 clickcartel_stream_dropped_late_total '{query="silver-events"}') too late," \
  "$(metric 18182 clickcartel_stream_dropped_duplicates_total '{query="silver-events"}') duplicates"
batch_throughput silver-events 18182 "$started" "$finished" "$(peak_rss_mb silver-processor/target/quarkus-app)"
