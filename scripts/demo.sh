#!/usr/bin/env bash
# The whole pipeline on this machine, as separate processes: Kafka broker, ingest, bronze, silver, gold. Generates a
# data set, sends most of it over HTTP and lands the rest as files, waits for every layer to catch up after each
# delivery phase, then prints the three answers, the reconciliation and whether everything equals the ground truth.
# Called by ./clickcartel demo|down; see ./clickcartel help.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CC="$ROOT/clickcartel"

EVENTS=100000; SEED=42; DAYS=3; KEEP=0; VIA=native; LAKE_ROOT=; TIMEOUT="${CLICKCARTEL_DEMO_TIMEOUT:-600}"
usage() {
  cat <<USAGE
usage: ./clickcartel demo [--events N] [--seed S] [--days D] [--via native|segment] [--lake ROOT] [--keep]
  --events N   valid events to generate (default $EVENTS; duplicates, late, malformed come on top)
  --seed S     data set seed (default $SEED)
  --days D     days of traffic the events spread over (default $DAYS)
  --via P      how the HTTP phases reach ingest: native (the batch API, default) or segment (as Segment
               track messages to /v1/batch, the way a Segment or RudderStack SDK sends them)
  --lake ROOT  where the tables (ROOT/lake) and the streams' checkpoints (ROOT/checkpoints) go: a folder or a
               Hadoop URI such as s3a://bucket/path (default: the run folder). For s3a:// without an endpoint in
               CLICKCARTEL_SPARK_CONF, the demo runs a local S3 server (./clickcartel s3) on CLICKCARTEL_S3_PORT
               (9000) with that bucket, and every service reaches the lake through it
  --keep       leave the stack running at the end (./clickcartel down stops it)
Ports: CLICKCARTEL_KAFKA_PORT (9092), CLICKCARTEL_DEMO_PORT_BASE (8080: ingest, +1 bronze, +2 silver, +3 gold,
+4 insights: the dashboard).
Catch-up timeout per phase: CLICKCARTEL_DEMO_TIMEOUT seconds (default 600).
USAGE
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --days) DAYS="$2"; shift 2 ;;
    --via) VIA="$2"; shift 2 ;;
    --lake) LAKE_ROOT="${2%/}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$VIA" in
  native|segment) ;;
  *) echo "demo: --via is native or segment, not '$VIA'" >&2; exit 2 ;;
esac

BASE="${CLICKCARTEL_DEMO_PORT_BASE:-8080}"
INGEST_PORT=$BASE; BRONZE_PORT=$((BASE + 1)); SILVER_PORT=$((BASE + 2)); GOLD_PORT=$((BASE + 3))
INSIGHTS_PORT=$((BASE + 4))
export CLICKCARTEL_KAFKA_PORT="${CLICKCARTEL_KAFKA_PORT:-9092}"
RUN="$ROOT/run/demo/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$RUN/logs"
ln -sfn "$RUN" "$ROOT/run/demo/latest"
LAKE_ROOT="${LAKE_ROOT:-$RUN}"
export CLICKCARTEL_KAFKA_DIR="$RUN/kafka" CLICKCARTEL_LAKE="$LAKE_ROOT/lake" CLICKCARTEL_CHECKPOINTS="$LAKE_ROOT/checkpoints"
export CLICKCARTEL_BRONZE_LANDING="$RUN/landing"
export CLICKCARTEL_SILVER_CUSTOMERS="$RUN/data/customers.csv" CLICKCARTEL_SILVER_PRODUCTS="$RUN/data/products.parquet"
export CLICKCARTEL_SILVER_TRIGGER="${CLICKCARTEL_SILVER_TRIGGER:-2s}" CLICKCARTEL_GOLD_TRIGGER="${CLICKCARTEL_GOLD_TRIGGER:-5s}"
export CLICKCARTEL_BRONZE_TRIGGER="${CLICKCARTEL_BRONZE_TRIGGER:-2s}"
started=$SECONDS
step() { printf '[%4ds] %s\n' $((SECONDS - started)) "$*"; }

"$CC" build
export CLICKCARTEL_SKIP_BUILD=1

PIDS="$RUN/pids"
: >"$PIDS"
in_stage() { if [[ $1 == s3 ]]; then [[ $2 == s3 ]]; else [[ $2 == services ]]; fi; } # name stage
stop_stack() {
  trap - INT TERM EXIT
  step "stopping the stack"
  # the services first, then the local S3 server their last writes go to
  for stage in services s3; do
    while read -r name pid; do
      in_stage "$name" "$stage" && kill -TERM "$pid" 2>/dev/null || true
    done <"$PIDS"
    while read -r name pid; do
      in_stage "$name" "$stage" || continue
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -KILL "$pid" 2>/dev/null || true
    done <"$PIDS"
  done
  "$CC" kafka stop >/dev/null 2>&1 || true
  rm -f "$PIDS" # only a kept stack leaves its pids for ./clickcartel down
}
trap 'stop_stack; exit 130' INT TERM
trap 'status=$?; [[ $KEEP == 1 && $status == 0 ]] || stop_stack; exit $status' EXIT

source "$ROOT/scripts/lib.sh"

start_service() { # name port
  local name="$1" port="$2"
  QUARKUS_HTTP_PORT="$port" "$CC" "$name" >"$RUN/logs/$name.log" 2>&1 &
  echo "$name $!" >>"$PIDS"
}
await_ready() { # name port
  local name="$1" port="$2" deadline=$((SECONDS + 180))
  until curl -sf "localhost:$port/q/health/ready" >/dev/null 2>&1; do
    if [[ $SECONDS -ge $deadline ]] || ! kill -0 "$(awk -v n="$name" '$1 == n {print $2}' "$PIDS")" 2>/dev/null; then
      echo "demo: $name did not become ready on port $port; its log: $RUN/logs/$name.log" >&2
      tail -20 "$RUN/logs/$name.log" >&2
      exit 1
    fi
    sleep 1
  done
  step "$name ready (http://localhost:$port)"
}

step "run folder: $RUN"
if [[ $LAKE_ROOT == s3a://* && ${CLICKCARTEL_SPARK_CONF:-} != *fs.s3a.endpoint* ]]; then
  bucket="${LAKE_ROOT#s3a://}"; bucket="${bucket%%/*}"
  step "starting a local S3 server (S3Proxy) on 127.0.0.1:${CLICKCARTEL_S3_PORT:-9000} with bucket $bucket"
  "$CC" s3 --bucket "$bucket" --dir "$RUN/s3" >"$RUN/logs/s3.log" 2>&1 &
  echo "s3 $!" >>"$PIDS"
  deadline=$((SECONDS + 60))
  until grep -q '^local S3 ready' "$RUN/logs/s3.log"; do
    if [[ $SECONDS -ge $deadline ]] || ! kill -0 "$(awk '$1 == "s3" {print $2}' "$PIDS")" 2>/dev/null; then
      echo "demo: the local S3 server did not start; its log: $RUN/logs/s3.log" >&2; cat "$RUN/logs/s3.log" >&2; exit 1
    fi
    sleep 1
  done
  # what the server printed: the services' S3 settings and its keys
  CLICKCARTEL_SPARK_CONF="$(sed -n 's/^  CLICKCARTEL_SPARK_CONF=//p' "$RUN/logs/s3.log")${CLICKCARTEL_SPARK_CONF:+,$CLICKCARTEL_SPARK_CONF}"
  AWS_ACCESS_KEY_ID="$(sed -n 's/^  AWS_ACCESS_KEY_ID=\([^ ]*\) .*/\1/p' "$RUN/logs/s3.log")"
  AWS_SECRET_ACCESS_KEY="$(sed -n 's/.* AWS_SECRET_ACCESS_KEY=//p' "$RUN/logs/s3.log")"
  export CLICKCARTEL_SPARK_CONF AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
fi
step "lake: $CLICKCARTEL_LAKE, checkpoints: $CLICKCARTEL_CHECKPOINTS"
step "generating $EVENTS events (seed $SEED)"
"$CC" datagen generate --out "$RUN/data" --events "$EVENTS" --seed "$SEED" --days "$DAYS" | sed 's/^/         /'

step "starting Kafka (KRaft) on 127.0.0.1:$CLICKCARTEL_KAFKA_PORT"
"$CC" kafka start >"$RUN/logs/kafka-start.log" 2>&1 || { cat "$RUN/logs/kafka-start.log" >&2; exit 1; }
start_service ingest "$INGEST_PORT"
start_service bronze "$BRONZE_PORT"
start_service silver "$SILVER_PORT"
start_service gold "$GOLD_PORT"
CLICKCARTEL_INSIGHTS_SERVICES="bronze=http://localhost:$BRONZE_PORT,silver=http://localhost:$SILVER_PORT,gold=http://localhost:$GOLD_PORT" \
  start_service insights "$INSIGHTS_PORT"
await_ready ingest "$INGEST_PORT"
await_ready bronze "$BRONZE_PORT"
await_ready silver "$SILVER_PORT"
await_ready gold "$GOLD_PORT"
await_ready insights "$INSIGHTS_PORT"
step "the dashboard: http://localhost:$INSIGHTS_PORT/ (it follows gold as the data arrives)"

bronze_rows() { echo $(( $(stream_rows "$BRONZE_PORT" bronze-kafka) + $(stream_rows "$BRONZE_PORT" bronze-files) )); }
silver_read() { stream_rows "$SILVER_PORT" silver-events; }
silver_written() { metric "$SILVER_PORT" clickcartel_stream_observed_total '{metric="written.rows",query="silver-events"}'; }
gold_in() { stream_rows "$GOLD_PORT" gold; }

# wait_for DESCRIPTION CONDITION-FUNCTION: polls with a progress line, fails after TIMEOUT seconds
wait_for() {
  local what="$1" check="$2" deadline=$((SECONDS + TIMEOUT))
  until $check; do
    printf '\r         %s: bronze %s, silver read %s, silver rows %s, gold read %s   ' "$what" \
      "$(bronze_rows)" "$(silver_read)" "$(silver_written)" "$(gold_in)"
    if [[ $SECONDS -ge $deadline ]]; then
      echo; echo "demo: gave up waiting ($what) after ${TIMEOUT}s; logs in $RUN/logs" >&2; exit 1
    fi
    sleep 2
  done
  printf '\r\033[K'
}
landed_lines=0
expected_bronze() { echo $(( $(metric "$INGEST_PORT" clickcartel_ingest_events_accepted_total) + landed_lines )); }
bronze_caught_up() { [[ $(bronze_rows) -ge $(expected_bronze) ]]; }
silver_caught_up() { [[ $(silver_read) -ge $(bronze_rows) ]]; }
gold_caught_up() { [[ $(gold_in) -ge $(silver_written) ]]; }

# the delivery phases of a data set, in order (datagen's Phase): each is fully processed before the next
for phase in MAIN_HTTP MAIN_LANDING LATE_HTTP; do
  case "$phase" in
    *_HTTP)
      step "phase $phase: sending over HTTP to the ingest API ($VIA)"
      "$CC" datagen send --from "$RUN/data" --phase "$phase" --protocol "$VIA" --url "http://localhost:$INGEST_PORT" 2>"$RUN/logs/send-$phase.log" \
        | sed 's/^/         /' ;;
    *_LANDING)
      step "phase $phase: dropping files into the landing folder"
      "$CC" datagen land --from "$RUN/data" --to "$RUN/landing" | sed 's/^/         /'
      landed_lines=$(cat "$RUN"/data/events/*-landing/*.jsonl | wc -l) ;;
  esac
  wait_for "bronze catching up" bronze_caught_up
  wait_for "silver catching up" silver_caught_up
  step "phase $phase in silver: bronze $(bronze_rows) rows, silver $(silver_written) rows"
done
wait_for "gold catching up" gold_caught_up
step "gold caught up"

step "the three answers (./clickcartel gold report)"
QUARKUS_HTTP_PORT=0 "$CC" gold report 2>"$RUN/logs/report.log" | tee "$RUN/report.txt"
step "the reconciliation and the ground truth (./clickcartel check)"
set +e
"$CC" check "$RUN/data" 2>"$RUN/logs/check.log" | tee "$RUN/check.txt"
verdict=${PIPESTATUS[0]}
set -e
step "done in $((SECONDS - started)) s; logs under $RUN, the lake at $CLICKCARTEL_LAKE"
if [[ $KEEP == 1 ]]; then
  cat <<URLS
The stack keeps running (./clickcartel down stops it):
  dashboard       http://localhost:$INSIGHTS_PORT/
  ingest API      http://localhost:$INGEST_PORT/v1/events  (write key: local-dev-key)
  Swagger UI      http://localhost:$INGEST_PORT/q/swagger-ui
  insights API    http://localhost:$INSIGHTS_PORT/q/swagger-ui
  health          http://localhost:{$INGEST_PORT,$BRONZE_PORT,$SILVER_PORT,$GOLD_PORT,$INSIGHTS_PORT}/q/health
  metrics         http://localhost:{$INGEST_PORT,$BRONZE_PORT,$SILVER_PORT,$GOLD_PORT,$INSIGHTS_PORT}/q/metrics
URLS
fi
exit "$verdict"
