#!/usr/bin/env bash
# Sustained bronze throughput: fill Kafka with EVENTS events through the ingest API, then start the bronze writer
# on the backlog and time how long it takes to land them all.
#   bench/bronze-throughput.sh [EVENTS]      (default 1,000,000; needs nothing running; works in ./run/bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-1000000}"
WORK="$ROOT/run/bench"
source "$ROOT/scripts/lib.sh"
rm -rf "$WORK" && mkdir -p "$WORK"
export CLICKCARTEL_KAFKA_DIR="$WORK/kafka" CLICKCARTEL_KAFKA_PORT=19092 CLICKCARTEL_KAFKA_CONTROLLER_PORT=19093
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092
export CLICKCARTEL_LAKE="$WORK/lake" CLICKCARTEL_CHECKPOINTS="$WORK/checkpoints" CLICKCARTEL_BRONZE_LANDING="$WORK/landing"
cleanup() { kill ${INGEST_PID:-} ${BRONZE_PID:-} 2>/dev/null || true; ./clickcartel kafka stop >/dev/null || true; }
trap cleanup EXIT

./clickcartel build
./clickcartel kafka start
QUARKUS_HTTP_PORT=18080 ./clickcartel ingest >"$WORK/ingest.log" 2>&1 & INGEST_PID=$!
until curl -sf -o /dev/null localhost:18080/q/health/ready; do sleep 1; done
./clickcartel datagen generate --out "$WORK/data" --events "$EVENTS" --days 1 --landing-share 0 --no-expected \
  --customers 20000 --products 2000 | head -1
summary=$(./clickcartel datagen send --from "$WORK/data" --url http://localhost:18080 --batch-size 2500 \
  --max-batch-span PT30M 2>/dev/null | tail -1)
echo "$summary"
accepted=$(sed -n 's/.*accepted \([0-9,]*\),.*/\1/p' <<<"$summary" | tr -d ,)
kill "$INGEST_PID"; INGEST_PID=

started=$(date +%s.%N)
QUARKUS_HTTP_PORT=18081 ./clickcartel bronze >"$WORK/bronze.log" 2>&1 & BRONZE_PID=$!
await_rows 18081 bronze-kafka "$accepted" || { echo "see $WORK/bronze.log"; exit 1; }
finished=$(date +%s.%N)
batch_throughput bronze-kafka 18081 "$started" "$finished" "$(peak_rss_mb bronze-writer/target/quarkus-app)"
