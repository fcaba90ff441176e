#!/usr/bin/env bash
# Gold at scale: EVENTS generated events over DAYS days → bronze (landing files, no broker) → silver (the service
# run until it has read all of bronze, then a backfill of every date: exact de-duplication, no watermark, so the
# events the stream's watermark dropped from the out-of-order backlog come back) → then three gold figures:
#   1. `gold refresh` of all of silver (the run summary's time, and the command's wall time with JVM start);
#   2. the gold service catching up with all of silver from an empty checkpoint (its batches' times);
#   3. one incremental update: 10,000 more events on the next day reach silver while the service follows it.
#   bench/gold.sh [EVENTS] [DAYS]   (defaults 1,000,000 and 6; needs nothing running; works in ./run/bench-gold-EVENTS)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-1000000}"
DAYS="${2:-6}"
START=2024-05-01
WORK="$ROOT/run/bench-gold-$EVENTS"
rm -rf "$WORK" && mkdir -p "$WORK"
source "$ROOT/bench/lib.sh"
export CLICKCARTEL_SILVER_JAVA_OPTS="-Xmx6g" CLICKCARTEL_GOLD_JAVA_OPTS="${CLICKCARTEL_GOLD_JAVA_OPTS:--Xmx4g}"

./clickcartel build
generate "$WORK/data" "$EVENTS" "$DAYS"
./clickcartel datagen land --from "$WORK/data" --to "$WORK/landing"
lines=$(cat "$WORK"/landing/*.jsonl | wc -l)
land_in_bronze 18281 "$lines"
LAST=$(date -u -d "$START + $((DAYS - 1)) days" +%F)
run_silver 18282 "$lines" >/dev/null
./clickcartel silver backfill "$START" "$LAST" >"$WORK/backfill.out" 2>"$WORK/backfill.log"
silver_rows=$(sed -n 's/^backfill of .*: \([0-9]*\) silver rows$/\1/p' "$WORK/backfill.out")
echo "silver holds $silver_rows rows ($START..$LAST)"

started=$(date +%s.%N)
./clickcartel gold refresh >"$WORK/refresh.log" 2>&1
echo "1. refresh: $(sed -n 's/^gold refresh: //p' "$WORK/refresh.log"); $(echo "$(date +%s.%N) - $started" | bc | xargs printf '%.1f') s with JVM start"

QUARKUS_HTTP_PORT=18283 ./clickcartel gold >"$WORK/gold.log" 2>&1 & PID=$!
await_rows 18283 gold "$silver_rows"
echo "2. catch-up: $(batch_throughput gold 18283 0 0 0 | cut -d';' -f1-2)" \
  "in $(($(metric 18283 clickcartel_stream_last_batch '{query="gold"}') + 1)) batches"

NEXT=$(date -u -d "$START + $DAYS days" +%F)
generate "$WORK/more" 10000 1 --start "$NEXT" --seed 4242
for file in "$WORK"/more/events/2-main-landing/*.jsonl; do   # fresh event ids: the generator numbers from 0
  sed 's/"event_id":"\([em]\)-/"event_id":"\1x-/' "$file" >"$WORK/landing/more-$(basename "$file")"
done
GOLD_PID=$PID
more_lines=$(cat "$WORK"/landing/more-*.jsonl | wc -l)
land_in_bronze 18281 "$more_lines"
more=$(run_silver 18282 "$more_lines")
PID=$GOLD_PID
await_rows 18283 gold "$((silver_rows + more))"
echo "3. update of $more rows on top of $silver_rows:" \
  "$(metric_value 18283 clickcartel_stream_batch_duration_seconds '{query="gold"}') s (the service's last batch)"
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
echo "gold service peak RSS $((peak_kb / 1024)) MB"
