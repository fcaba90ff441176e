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
export CLICKCARTEL_LAKE="$WORK/lake" CLICKCARTEL_CHECKPOINTS="$WORK/checkpoints" CLICKCARTEL_BRONZE_LANDING="$WORK/landing"
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1   # no broker: the Kafka query just finds nothing
export CLICKCARTEL_SILVER_CUSTOMERS="$WORK/data/customers.csv" CLICKCARTEL_SILVER_PRODUCTS="$WORK/data/products.parquet"
cleanup() { kill ${PID:-} 2>/dev/null || true; }
trap cleanup EXIT
metric() { curl -s "localhost:$1/q/metrics" | sed -n "s/^clickcartel_stream_rows_total{query=\"$2\"} \([0-9.E]*\)/\1/p" | awk '{printf "%d", $1}'; }
await_rows() { # port query rows
  local deadline=$((SECONDS + 1800))
  until [ "$(metric "$1" "$2" || echo 0)" -ge "$3" ] 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "$2 did not read $3 rows in 30 min; see $WORK"; exit 1; }
    sleep 1
  done
}

./clickcartel build
./clickcartel datagen generate --out "$WORK/data" --events "$EVENTS" --days "$DAYS" --landing-share 1 --no-expected \
  --customers 20000 --products 2000 --events-per-file 100000 | head -1
./clickcartel datagen land --from "$WORK/data" --to "$WORK/landing"
lines=$(cat "$WORK"/data/events/2-main-landing/*.jsonl | wc -l)

QUARKUS_HTTP_PORT=18181 CLICKCARTEL_BRONZE_MAX_FILES_PER_TRIGGER=1000 ./clickcartel bronze >"$WORK/bronze.log" 2>&1 & PID=$!
await_rows 18181 bronze-files "$lines"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
echo "bronze holds $lines rows; starting silver on that backlog"

started=$(date +%s.%N)
QUARKUS_HTTP_PORT=18182 ./clickcartel silver >"$WORK/silver.log" 2>&1 & PID=$!
await_rows 18182 silver-events "$lines"
finished=$(date +%s.%N)
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$(pgrep -f silver-processor/target/quarkus-app | head -1)/status")
grep "silver-events batch" "$WORK/silver.log" | sed 's/.*: \([0-9]*\) rows in \([0-9.]*\) s.*/\1 \2/' \
  | awk -v total="$(echo "$finished - $started" | bc)" -v kb="$peak_kb" '{rows+=$1; secs+=$2}
      END {printf "silver-events: %d rows; %.0f rows/s inside batches (%.1f s), %.0f rows/s from JVM start (%.1f s); peak RSS %.0f MB\n",
           rows, rows/secs, secs, rows/total, total, kb/1024}'
