#!/usr/bin/env bash
# Ingest beside Kafka's own producer, on one local broker in one run: wrk posts single events to /v1/events at 8, 64
# and 256 connections (req/s, p50/p99 per request, error answers) and batches of 500 to /v1/events/batch at 8
# connections (events/s), after 5 s of unreported warm-up each (bench/ingest-batch.lua). Then the whole events topic
# is read back with Kafka's console consumer for the mean size (key + value) of the records ingest wrote, and
# Kafka's ProducerPerformance (kafka-tools; classpath from bench/pom.xml, not a module of the build) writes RECORDS
# records drawn from those (their values) with acks=all, as fast as it can, into a fresh topic with the events topic's partitions and
# replication: with the producer's defaults, and again with lz4 compression, ingest's one producer setting that
# differs from them. Prints the ratios and the peak RSS of the ingest JVM and the broker.
#   bench/ingest.sh      (DURATION=20 s per wrk run, RECORDS=2000000; needs wrk — apt-get install wrk — and nothing
#                         on ports 18580, 19292, 19293; works in ./run/bench-ingest; ≈ 3 min after a build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
command -v wrk >/dev/null || { echo "bench/ingest.sh needs wrk on the PATH: apt-get install -y wrk" >&2; exit 1; }
DURATION="${DURATION:-20}"
RECORDS="${RECORDS:-2000000}"
WORK="$ROOT/run/bench-ingest"
PORT=18580
TOPIC=clickstream.events.v1  # the service's default CLICKCARTEL_KAFKA_EVENTS_TOPIC
source "$ROOT/scripts/lib.sh"
source "$ROOT/bench/report.sh"
rm -rf "$WORK" && mkdir -p "$WORK"
export CLICKCARTEL_KAFKA_DIR="$WORK/kafka" CLICKCARTEL_KAFKA_PORT=19292 CLICKCARTEL_KAFKA_CONTROLLER_PORT=19293
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19292
BOOTSTRAP=$CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS
cleanup() { kill ${INGEST_PID:-} 2>/dev/null || true; CLICKCARTEL_SKIP_BUILD=1 ./clickcartel kafka stop >/dev/null || true; }
trap cleanup EXIT

./clickcartel build
./mvnw -q -B -ntp -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/tools.classpath" >"$WORK/tools.log" 2>&1 \
  || { cat "$WORK/tools.log"; echo "cannot resolve kafka-tools (bench/pom.xml)" >&2; exit 1; }
TOOLS_CP=$(cat "$WORK/tools.classpath")
tool() { java -Xmx512m -cp "$TOOLS_CP" "$@" 2>>"$WORK/tools.log"; } # CLASS ARGS: one of Kafka's tools (stderr: tools.log)
num() { thousands "$(printf '%.0f' "$1")"; } # N: rounded, with thousands separators

./clickcartel kafka start
QUARKUS_HTTP_PORT=$PORT ./clickcartel ingest >"$WORK/ingest.log" 2>&1 & INGEST_PID=$!
await_service "$PORT" "ingest (see $WORK/ingest.log)" 120 || exit 1

field() { grep -o "$2=[^ ]*" "$1" | tail -1 | cut -d= -f2; } # FILE KEY: a figure from the lua script's last line
load() { # NAME CONNECTIONS PATH SECONDS: one wrk run; its output in $WORK/wrk-NAME.txt
  wrk -t2 -c"$2" -d"$4"s --timeout 15s --latency -s bench/ingest-batch.lua "http://127.0.0.1:$PORT$3" >"$WORK/wrk-$1.txt"
}
load warmup 64 /v1/events 5
load warmup-batch 8 /v1/events/batch 5
for c in 8 64 256; do
  load "single-$c" "$c" /v1/events "$DURATION"
  f="$WORK/wrk-single-$c.txt"
  echo "single events, $c connections: $(field "$f" requests/s) req/s, p50 $(field "$f" p50_ms) ms, p99 $(field "$f" p99_ms) ms;" \
    "non-2xx $(field "$f" non_2xx), socket errors $(field "$f" socket_errors)"
done
load batch-500 8 /v1/events/batch "$DURATION"
f="$WORK/wrk-batch-500.txt"
echo "batches of 500, 8 connections: $(field "$f" events/s) events/s ($(field "$f" requests/s) req/s, p50 $(field "$f" p50_ms) ms," \
  "p99 $(field "$f" p99_ms) ms); non-2xx $(field "$f" non_2xx), socket errors $(field "$f" socket_errors)"
accepted=$(metric $PORT clickcartel_ingest_events_accepted_total)
ingest_rss=$(peak_rss_of "$INGEST_PID") # the JVM: ./clickcartel execs java
kill "$INGEST_PID"; wait "$INGEST_PID" 2>/dev/null || true; INGEST_PID=

# What ingest wrote: every record of the events topic (its end offsets, once ingest has stopped; no transactions, so
# one offset per record) read back, its key and value bytes (the events are ASCII JSON; no headers). The producer's
# record-size-avg metric would not do: it averages each batch's largest record. The first 10,000 values are kept as
# ProducerPerformance's payloads: it sends the records ingest wrote (without their keys), not random letters, which
# compression would treat differently.
written=$(tool org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" \
  | awk -F: '{ n += $NF } END { print n }')
[[ $written == "$accepted" ]] || echo "note: $written records on $TOPIC, ingest counted $accepted events accepted"
tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" --from-beginning \
  --max-messages "$written" --timeout-ms 30000 --formatter-property print.key=true --formatter-property key.separator=$'\t' \
  | LC_ALL=C awk -F'\t' -v payloads="$WORK/payloads.txt" '{ n++; k += length($1); v += length($0) - length($1) - 1
      if (n <= 10000) print substr($0, length($1) + 2) >payloads }
    END { printf "%d %.1f %.1f\n", n, n ? k / n : 0, n ? v / n : 0 }' >"$WORK/sizes.txt"
read -r read_back key_mean value_mean <"$WORK/sizes.txt"
[[ $read_back == "$written" ]] || { echo "read $read_back records back of the $written on $TOPIC" >&2; exit 1; }
RECORD_SIZE=$(awk -v k="$key_mean" -v v="$value_mean" 'BEGIN { printf "%.0f", k + v }')
echo "ingest wrote $(thousands "$written") records to $TOPIC: mean key $key_mean B + value $value_mean B = record size $RECORD_SIZE B"

# The baseline: a fresh topic shaped like the events topic, filled by Kafka's own load generator
shape=$(tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --describe --topic "$TOPIC" \
  | awk '/PartitionCount:/ { for (i = 1; i < NF; i++) { if ($i == "PartitionCount:") p = $(i + 1); if ($i == "ReplicationFactor:") r = $(i + 1) } }
    END { print p, r }')
read -r PARTITIONS REPLICATION <<<"$shape"
perf() { # NAME [PRODUCER PROPS]: ProducerPerformance into a fresh topic; its summary line in $WORK/perf-NAME.txt
  local name=$1; shift
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --topic "bench.perf.$name" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION" >/dev/null
  tool org.apache.kafka.tools.ProducerPerformance --topic "bench.perf.$name" --num-records "$RECORDS" \
    --payload-file "$WORK/payloads.txt" --throughput -1 --producer-props acks=all bootstrap.servers="$BOOTSTRAP" "$@" \
    >"$WORK/perf-$name.log"
  grep -E '^[0-9]+ records sent, .* 99th' "$WORK/perf-$name.log" | tail -1 >"$WORK/perf-$name.txt"
  [[ -s "$WORK/perf-$name.txt" ]] || { tail -20 "$WORK/perf-$name.log" "$WORK/tools.log"; echo "ProducerPerformance failed" >&2; exit 1; }
}
# "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, P ms 50th, P ms 95th, P ms 99th, ..."
perf_figure() { # NAME WHAT: records/s, p50 or p99 (ms)
  awk -F', ' -v what="$2" '{ for (i = 1; i <= NF; i++) { split($i, w, " ")
      if (what == "rate" && w[2] == "records/sec") print w[1]; if (w[2] == "ms" && w[3] == what) print w[1] } }' \
    "$WORK/perf-$1.txt"
}
perf default
perf lz4 compression.type=lz4
for name in default lz4; do
  echo "ProducerPerformance ($name, $PARTITIONS partitions, replication $REPLICATION): $(cat "$WORK/perf-$name.txt")"
done
broker_rss=$(peak_rss_mb "$CLICKCARTEL_KAFKA_DIR/server.properties")
echo "peak RSS: ingest JVM $ingest_rss MB, broker $broker_rss MB"

PP=$(perf_figure default rate) PP_LZ4=$(perf_figure lz4 rate)
single_256=$(field "$WORK/wrk-single-256.txt" requests/s)
batch=$(field "$WORK/wrk-batch-500.txt" events/s)
echo "single events at 256 connections / ProducerPerformance: $(ratio "$single_256" "$PP") (lz4: $(ratio "$single_256" "$PP_LZ4"));" \
  "batches of 500: $(ratio "$batch" "$PP") (lz4: $(ratio "$batch" "$PP_LZ4"))"

report_section ingest "Ingest beside Kafka's own producer" "bench/ingest.sh"
row() { report "| $1 | $2 | $3 | $4 | $5 | $6 |"; }
row "on one broker, loopback" "per second" "p50 ms" "p99 ms" "÷ ProducerPerformance" "÷ ProducerPerformance, lz4"
row --- --- --- --- --- ---
for c in 8 64 256; do
  f="$WORK/wrk-single-$c.txt" rate=$(field "$WORK/wrk-single-$c.txt" requests/s)
  row "ingest, single events, $c connections" "$(num "$rate") req/s" "$(field "$f" p50_ms)" "$(field "$f" p99_ms)" \
    "$(ratio "$rate" "$PP")" "$(ratio "$rate" "$PP_LZ4")"
done
f="$WORK/wrk-batch-500.txt"
row "ingest, batches of 500, 8 connections" "$(num "$batch") events/s" "$(field "$f" p50_ms) per request" \
  "$(field "$f" p99_ms) per request" "$(ratio "$batch" "$PP")" "$(ratio "$batch" "$PP_LZ4")"
row "ProducerPerformance, acks=all" "$(num "$PP") records/s" "$(perf_figure default 50th)" "$(perf_figure default 99th)" 1 ""
row "ProducerPerformance, acks=all, lz4 (as ingest)" "$(num "$PP_LZ4") records/s" "$(perf_figure lz4 50th)" \
  "$(perf_figure lz4 99th)" "" 1
errors=$(for c in 8 64 256; do printf '%s at %s connections, ' "$(field "$WORK/wrk-single-$c.txt" non_2xx)" "$c"; done)
report "" "wrk \`-t2 -d${DURATION}s\`, the same event in every request, after 5 s of warm-up of each kind; wrk's latencies" \
  "are per request. ProducerPerformance: \`--throughput -1\`, $(thousands "$RECORDS") records whose values are drawn" \
  "from the first 10,000 of the $(thousands "$written") records ingest wrote in the run, read back (mean key + value" \
  "$RECORD_SIZE B; ProducerPerformance sends no key) — into a fresh topic of" \
  "$PARTITIONS partitions, replication $REPLICATION; its latencies are per record, from send to ack. Error answers: ${errors}" \
  "$(field "$f" non_2xx) for batches. Peak RSS: ingest JVM $(thousands "$ingest_rss") MB (\`-Xmx512m\`), broker" \
  "$(thousands "$broker_rss") MB." ""
# both baselines: Kafka's producer as it comes, and with lz4 as ingest's producer is set up
baseline="$(num "$PP") records/s (ProducerPerformance; $(num "$PP_LZ4") with lz4, as ingest)"
report_summary "ingest, single events at 256 connections" \
  "$(num "$single_256") req/s, p99 $(field "$WORK/wrk-single-256.txt" p99_ms) ms" "$baseline" \
  "$(ratio "$single_256" "$PP")× ($(ratio "$single_256" "$PP_LZ4")× of lz4)" "≥ 20,000 req/s, p99 ≤ 50 ms"
report_summary "ingest, batches of 500" "$(num "$batch") events/s" "$baseline" \
  "$(ratio "$batch" "$PP")× ($(ratio "$batch" "$PP_LZ4")× of lz4)" "≥ 0.8×"
