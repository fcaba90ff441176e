#!/usr/bin/env bash
# Sustained bronze throughput: fill Kafka with EVENTS events through the ingest API, then start the bronze writer
# on the backlog and time how long it takes to land them all.
#   bench/bronze-throughput.sh [EVENTS]      (default 1,000,000; needs nothing running; works in ./run/bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-1000000}"
WORK="$ROOT/run/bench"
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
rows() { curl -s localhost:18081/q/metrics | sed -n 's/^clickcartel_stream_rows_total{query="bronze-kafka"} \([0-9.E]*\)/\1/p' | awk '{printf "%d", $1}'; }
deadline=$((SECONDS + 1800))
until [ "$(rows || echo 0)" -ge "$accepted" ] 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { echo "bronze did not land $accepted rows in 30 min; see $WORK/bronze.log"; exit 1; }
  sleep 1
done
finished=$(date +%s.%N)
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$(pgrep -f bronze-writer/target/quarkus-app | head -1)/status")
grep "bronze-kafka batch" "$WORK/bronze.log" | sed 's/.*: \([0-9]*\) rows in \([0-9.]*\) s.*/\1 \2/' \
  | awk -v total="$(echo "$finished - $started" | bc)" -v kb="$peak_kb" '{rows+=$1; secs+=$2}
      END {printf "bronze-kafka: %d rows; %.0f rows/s inside batches (%.1f s), %.0f rows/s from JVM start (%.1f s); peak RSS %.0f MB\n",
           rows, rows/secs, secs, rows/total, total, kb/1024}'
