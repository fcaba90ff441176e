#!/usr/bin/env bash
# Sustained bronze throughput: fill Kafka with EVENTS events through the ingest API, then start the bronze writer
# on the backlog and time how long it takes to land them all; then, on the same topic, the plain baselines of
# bench/PlainBronze.java with the same Spark settings, heap and batch size: Spark's Kafka source into `noop` (before
# and after the service), into Delta's own streaming sink, and appended to Delta by a batch write in foreachBatch.
# Each figure is rows/s inside micro-batches (batches
# that read rows; Spark's own batch times), over all batches and over those after the first, which also warms its
# JVM up; prints the ratios.
#   bench/bronze-throughput.sh [EVENTS]      (default 1,000,000; needs nothing running; works in ./run/bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-1000000}"
WORK="$ROOT/run/bench"
source "$ROOT/scripts/lib.sh"
source "$ROOT/bench/report.sh"
rm -rf "$WORK" && mkdir -p "$WORK"
export CLICKCARTEL_KAFKA_DIR="$WORK/kafka" CLICKCARTEL_KAFKA_PORT=19092 CLICKCARTEL_KAFKA_CONTROLLER_PORT=19093
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092
export CLICKCARTEL_LAKE="$WORK/lake" CLICKCARTEL_CHECKPOINTS="$WORK/checkpoints" CLICKCARTEL_BRONZE_LANDING="$WORK/landing"
cleanup() { kill ${INGEST_PID:-} ${BRONZE_PID:-} 2>/dev/null || true; ./clickcartel kafka stop >/dev/null || true; }
trap cleanup EXIT

./clickcartel build
./clickcartel kafka start
QUARKUS_HTTP_PORT=18080 ./clickcartel ingest >"$WORK/ingest.log" 2>&1 & INGEST_PID=$!
await_service 18080 "ingest (see $WORK/ingest.log)" 120 || exit 1
./clickcartel datagen generate --out "$WORK/data" --events "$EVENTS" --days 1 --landing-share 0 --no-expected \
  --customers 20000 --products 2000 | head -1
summary=$(./clickcartel datagen send --from "$WORK/data" --url http://localhost:18080 --batch-size 2500 \
  --max-batch-span PT30M 2>/dev/null | tail -1)
echo "$summary"
accepted=$(sed -n 's/.*accepted \([0-9,]*\),.*/\1/p' <<<"$summary" | tr -d ,)
kill "$INGEST_PID"; wait "$INGEST_PID" 2>/dev/null || true; INGEST_PID=

HEAP=-Xmx1g                # the launcher's default for the bronze service
MAX_OFFSETS=200000         # the service's default CLICKCARTEL_BRONZE_MAX_OFFSETS_PER_TRIGGER
TOPIC=clickstream.events.v1  # the service's default CLICKCARTEL_KAFKA_EVENTS_TOPIC
plain() { # SINK RUN: a plain job over the whole topic; prints its rows/s inside batches
  spark_program bronze-writer $HEAP "$ROOT/bench/PlainBronze.java" "$CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS" "$TOPIC" "$MAX_OFFSETS" "$WORK/plain-$2" "$1" \
    2>>"$WORK/plain.log" | tee -a "$WORK/plain.log" | awk '/^plain/ { printf "%.0f %.0f", $3 / $5, $9 / $10 }'
}
noop_before=$(plain noop 1)
echo "plain Kafka source into noop (before): ${noop_before% *} rows/s inside batches, ${noop_before#* } after the first"

started=$(date +%s.%N)
QUARKUS_HTTP_PORT=18081 CLICKCARTEL_BRONZE_JAVA_OPTS=$HEAP CLICKCARTEL_BRONZE_MAX_OFFSETS_PER_TRIGGER=$MAX_OFFSETS \
  ./clickcartel bronze >"$WORK/bronze.log" 2>&1 & BRONZE_PID=$!
await_rows 18081 bronze-kafka "$accepted" || { echo "see $WORK/bronze.log"; exit 1; }
finished=$(date +%s.%N)
peak_mb=$(peak_rss_mb bronze-writer/target/quarkus-app)
batch_throughput bronze-kafka 18081 "$started" "$finished" "$peak_mb"
bronze=$(awk -v rows="$(stream_rows 18081 bronze-kafka)" \
  -v secs="$(metric_value 18081 clickcartel_stream_busy_seconds_total '{query="bronze-kafka"}')" \
  'BEGIN { printf "%.0f", rows / secs }')
# its log's "query bronze-kafka batch N: R rows in S s" lines, batch 0 left out
bronze_warm=$(awk '/query bronze-kafka batch [1-9][0-9]*: [0-9]+ rows in/ {
    for (i = 1; i < NF; i++) if ($i == "rows" && $(i + 1) == "in") { rows += $(i - 1); secs += $(i + 2) } }
  END { printf "%.0f", secs ? rows / secs : 0 }' "$WORK/bronze.log")
echo "bronze-kafka after the first batch: $bronze_warm rows/s inside batches"
kill "$BRONZE_PID"; wait "$BRONZE_PID" 2>/dev/null || true; BRONZE_PID=

noop_after=$(plain noop 2)
echo "plain Kafka source into noop (after): ${noop_after% *} rows/s inside batches, ${noop_after#* } after the first"
delta=$(plain delta 3)
echo "plain Kafka source into Delta's streaming sink: ${delta% *} rows/s inside batches, ${delta#* } after the first"
appended=$(plain foreachbatch 4)
echo "plain Kafka source appended to Delta by foreachBatch: ${appended% *} rows/s inside batches, ${appended#* } after the first"
ratios() { # LABEL BRONZE NOOP_BEFORE NOOP_AFTER DELTA
  awk -v label="$1" -v b="$2" -v n1="$3" -v n2="$4" -v d="$5" 'BEGIN {
    printf "%s: bronze / noop %.2f (noop %d and %d rows/s, bronze %d); bronze / plain Delta sink %.2f (%d rows/s)\n",
      label, b / ((n1 + n2) / 2), n1, n2, b, b / d, d }'
}
ratios "all batches" "$bronze" "${noop_before% *}" "${noop_after% *}" "${delta% *}"
ratios "after the first batch" "$bronze_warm" "${noop_before#* }" "${noop_after#* }" "${delta#* }"

noop_mean() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (a + b) / 2 }'; }
noop=$(noop_mean "${noop_before% *}" "${noop_after% *}") noop_warm=$(noop_mean "${noop_before#* }" "${noop_after#* }")
report_section bronze "Bronze beside Spark's Kafka source" "bench/bronze-throughput.sh $EVENTS"
report "$(thousands "$accepted") events in Kafka (3 partitions), landed by the bronze writer (\`-Xmx1g\`, $(thousands $MAX_OFFSETS)" \
  "records per batch) and, on the same topic with the same Spark settings, heap and batch size, by two plain jobs" \
  "(\`bench/PlainBronze.java\`): Spark's Kafka source into the \`noop\` sink with bronze's columns (the floor: reading" \
  "the topic), before and after the service, and the same columns through Delta's own streaming sink. Rows/s inside" \
  "micro-batches (Spark's batch times), over all batches and after the first, which also warms the JVM up." "" \
  "| rows/s inside micro-batches | all batches | after the first batch |" "|---|---|---|" \
  "| bronze writer (the service) | $(thousands "$bronze") | $(thousands "$bronze_warm") |" \
  "| plain: Kafka source into \`noop\` (before / after) | $(thousands "${noop_before% *}") / $(thousands "${noop_after% *}") | $(thousands "${noop_before#* }") / $(thousands "${noop_after#* }") |" \
  "| plain: Kafka source into Delta's streaming sink | $(thousands "${delta% *}") | $(thousands "${delta#* }") |" \
  "| plain: the same append as a batch write in \`foreachBatch\` | $(thousands "${appended% *}") | $(thousands "${appended#* }") |" \
  "| **bronze / noop** | **$(ratio "$bronze" "$noop")** | **$(ratio "$bronze_warm" "$noop_warm")** |" \
  "| bronze / plain Delta sink | $(ratio "$bronze" "${delta% *}") | $(ratio "$bronze_warm" "${delta#* }") |" "" \
  "Peak RSS of the bronze writer: $(thousands "$peak_mb") MB. On the way, through the ingest API: $summary." ""
report_summary "bronze, rows/s inside batches" "$(thousands "$bronze")" "$(thousands "$noop") (Kafka source into noop)" \
  "$(ratio "$bronze" "$noop")×" "≥ 0.8×"
