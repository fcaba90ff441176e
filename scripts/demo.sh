#!/usr/bin/env bash
# The whole pipeline on this machine, as separate processes: Kafka broker, ingest, bronze, silver, gold. Generates a
# data set, sends most of it over HTTP and lands the rest as files, waits for every layer to catch up after each
# delivery phase, then prints the three answers, the reconciliation and whether everything equals the ground truth.
# Called by ./clickcartel demo|down; see ./clickcartel help.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CC="$ROOT/clickcartel"

EVENTS=100000; SEED=42; DAYS=3; KEEP=0; VIA=native; TIMEOUT="${CLICKCARTEL_DEMO_TIMEOUT:-600}"
usage() {
  cat <<USAGE
usage: ./clickcartel demo [--events N] [--seed S] [--days D] [--via native|segment] [--keep]
  --events N   valid events to generate (default $EVENTS; duplicates, late, malformed come on top)
  --seed S     data set seed (default $SEED)
  --days D     days of traffic the events spread over (default $DAYS)
  --via P      how the HTTP phases reach ingest: native (the batch API, default) or segment (as Segment
               track messages to /v1/batch, the way a Segment or RudderStack SDK sends them)
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
export CLICKCARTEL_KAFKA_DIR="$RUN/kafka" CLICKCARTEL_LAKE="$RUN/lake" CLICKCARTEL_CHECKPOINTS="$RUN/checkpoints"
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
stop_stack() {
  trap - INT TERM EXIT
  step "stopping the stack"
  while read -r name pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$PIDS"
  while read -r name pid; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  done <"$PIDS"
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
step "done in $((SECONDS - started)) s; logs and lake under $RUN"
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
