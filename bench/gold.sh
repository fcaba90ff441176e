#!/usr/bin/env bash
# Gold at scale: EVENTS generated events over DAYS days → bronze (landing files, no broker) → silver (the service
# run until it has read all of bronze, then a backfill of every date: exact de-duplication, no watermark, so the
# events the stream's watermark dropped from the out-of-order backlog come back) → then three gold figures:
#   1. `gold refresh` of all of silver (the run summary's time, and the command's wall time with JVM start), beside
#      bench/PlainGold.java: the same five tables as plain groupBy/window aggregations over the same silver, same
#      Spark settings and heap, none of gold's machinery; its tables are then compared with the refresh's;
#   2. the gold service catching up with all of silver from an empty checkpoint (its batches' times);
#   3. incremental updates, one after another: each time 10,000 more events on the next day reach silver while the
#      service, caught up, is paused (SIGSTOP, so bronze and silver do not share the cores with its batch); resumed,
#      it reads them. The first is the service's first batch after its catch-up; the next ones are warm, as in a
#      service that has been running for a while.
#   bench/gold.sh [EVENTS] [DAYS]   (defaults 1,000,000 and 6; needs nothing running; works in ./run/bench-gold-EVENTS)
#   CLICKCARTEL_BENCH_GOLD_UPDATES: how many updates in step 3 (3)
# With CLICKCARTEL_BENCH_REPORT set (bench/suite.sh) it also writes its section, summary rows and one line of
# gold-scale.tsv (EVENTS, silver rows before the updates, seconds of the first update, median seconds of the warm
# ones) there; see bench/report.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-1000000}"
DAYS="${2:-6}"
UPDATES="${CLICKCARTEL_BENCH_GOLD_UPDATES:-3}"
[[ $UPDATES =~ ^[1-9][0-9]*$ ]] || { echo "CLICKCARTEL_BENCH_GOLD_UPDATES must be a positive whole number" >&2; exit 2; }
START=2024-05-01
WORK="$ROOT/run/bench-gold-$EVENTS"
rm -rf "$WORK" && mkdir -p "$WORK"
source "$ROOT/bench/lib.sh"
source "$ROOT/bench/report.sh"
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

# peak_kb FILE COMMAND...: runs COMMAND, its peak RSS (kB) into FILE where GNU time is installed
peak_kb() { local out=$1; shift; if [[ -x /usr/bin/time ]]; then /usr/bin/time -o "$out" -f %M "$@"; else "$@"; fi; }
plural() { [[ $1 == 1 ]] && echo "1 $2" || echo "$1 ${2}es"; }
started=$(date +%s.%N)
peak_kb "$WORK/refresh.rss" ./clickcartel gold refresh >"$WORK/refresh.log" 2>&1
refresh_wall=$(echo "$(date +%s.%N) - $started" | bc)
refresh_secs=$(sed -n 's/^gold refresh: .* in \([0-9.]*\) s;.*/\1/p' "$WORK/refresh.log")
echo "1. refresh: $(sed -n 's/^gold refresh: //p' "$WORK/refresh.log");" \
  "$(printf '%.1f' "$refresh_wall") s with JVM start"

# the plain job: gold's jars and heap, the same silver, compiled beforehand (the refresh's code is compiled too); its
# tables go to $WORK/plain-gold and are then compared with gold's in a JVM of its own (not timed, not in its RSS)
javac -d "$WORK/plain-classes" -cp "$(service_classpath gold-aggregator)" "$ROOT/bench/PlainGold.java"
spark_command PLAIN gold-aggregator "$CLICKCARTEL_GOLD_JAVA_OPTS" "$WORK/plain-classes/PlainGold"
started=$(date +%s.%N)
peak_kb "$WORK/plain.rss" "${PLAIN[@]}" "$CLICKCARTEL_LAKE/silver/events" "$WORK/plain-gold" \
  >"$WORK/plain.out" 2>"$WORK/plain.log" || { echo "the plain job failed: see $WORK/plain.log"; exit 1; }
plain_wall=$(echo "$(date +%s.%N) - $started" | bc)
"${PLAIN[@]}" --check "$WORK/plain-gold" "$CLICKCARTEL_LAKE/gold" >>"$WORK/plain.out" 2>>"$WORK/plain.log" \
  || { echo "the check of the plain job's tables failed: see $WORK/plain.log"; exit 1; }
plain_secs=$(awk '/^plain-gold seconds/ { print $3 }' "$WORK/plain.out")
echo "   plain groupBy job over the same $(awk '/^plain-gold seconds/ { print $5 }' "$WORK/plain.out") rows:" \
  "$plain_secs s in the job, $(printf '%.1f' "$plain_wall") s with JVM start"
echo "   refresh / plain, time: $(ratio "$refresh_secs" "$plain_secs")× in the job," \
  "$(ratio "$refresh_wall" "$plain_wall")× with JVM start"
differing=$(awk '/^plain-gold check/ && ($7 > 0 || $9 > 0) { printf "%s%s (%d only in plain, %d only in gold)", \
  sep, $3, $7, $9; sep = ", " }' "$WORK/plain.out")
checked=$(grep -c '^plain-gold check' "$WORK/plain.out" || true)
echo "   plain tables against gold's, value for value: ${differing:-all $checked equal}"
rss_mb() { [[ -s $1 ]] && echo "$(($(tail -1 "$1") / 1024)) MB" || echo "n/a"; }

# the service is frozen (SIGSTOP) for minutes while each update reaches silver: past spark.network.timeout (120 s)
# Spark would take the frozen JVM's own executor for lost on resuming and re-register it, in the batch it measures
CLICKCARTEL_GOLD_JAVA_OPTS="$CLICKCARTEL_GOLD_JAVA_OPTS -Dspark.network.timeout=1h" QUARKUS_HTTP_PORT=18283 ./clickcartel gold >"$WORK/gold.log" 2>&1 & PID=$!
await_rows 18283 gold "$silver_rows"
catchup_secs=$(metric_value 18283 clickcartel_stream_busy_seconds_total '{query="gold"}')
# batches that read rows, from the service's log ("query gold batch N: R rows in S s"): the batch-id gauge is that of
# the last progress report, which may be an idle one
batches_read() { grep -cE 'query gold batch [0-9]+: [1-9][0-9]* rows in' "$WORK/gold.log" || true; }
catchup_batches=$(batches_read)
echo "2. catch-up: $(batch_throughput gold 18283 0 0 0 | sed 's/, [^,;]* from JVM start[^;]*;.*//') in $(plural "$catchup_batches" batch)"

GOLD_PID=$PID
# gold, caught up and warm, is paused while bronze and silver take in an update, so that its batch has the two
# cores to itself as it would in a deployment with a machine per layer (it resumes to find silver's new version)
trap 'kill -CONT "$GOLD_PID" 2>/dev/null; kill "$GOLD_PID" 2>/dev/null; cleanup' EXIT
history_rows=$silver_rows
UPDATE_SECS=()
for ((update = 1; update <= UPDATES; update++)); do
  day=$(date -u -d "$START + $((DAYS + update - 1)) days" +%F)
  rm -rf "$WORK/more"
  generate "$WORK/more" 10000 1 --start "$day" --seed $((4241 + update))
  for file in "$WORK"/more/events/2-main-landing/*.jsonl; do   # fresh event ids: the generator numbers from 0
    sed "s/\"event_id\":\"\([em]\)-/\"event_id\":\"\1x$update-/" "$file" >"$WORK/landing/more-$update-$(basename "$file")"
  done
  busy_before=$(metric_value 18283 clickcartel_stream_busy_seconds_total '{query="gold"}')
  batches_before=$(batches_read)
  kill -STOP "$GOLD_PID"
  more_lines=$(cat "$WORK"/landing/more-$update-*.jsonl | wc -l)
  land_in_bronze 18281 "$more_lines"
  more=$(run_silver 18282 "$more_lines")
  PID=$GOLD_PID
  kill -CONT "$GOLD_PID"
  resumed=$(date +%s.%N)
  silver_rows=$((silver_rows + more))
  await_rows 18283 gold "$silver_rows"
  # the time of the batches that read the update's rows (a batch that reads none is not counted)
  secs=$(awk -v now="$(metric_value 18283 clickcartel_stream_busy_seconds_total '{query="gold"}')" \
    -v before="$busy_before" 'BEGIN { printf "%.1f", now - before }')
  # a pause that caught gold polling for data would be counted in that batch's time: then the figure is wrong
  if [[ $(echo "$secs > $(date +%s.%N) - $resumed + 1" | bc) == 1 ]]; then
    echo "update $update's batch time ($secs s) includes the pause: run again"; exit 1
  fi
  UPDATE_SECS+=("$secs")
  echo "3.$update update of $more rows on top of $((silver_rows - more)): $secs s in" \
    "$(plural $(($(batches_read) - batches_before)) batch)"
done
gold_rss=$(peak_rss_of "$PID")
echo "gold service peak RSS $gold_rss MB"

one() { printf '%.1f' "$1"; }
first_update=${UPDATE_SECS[0]}
warm_updates=("${UPDATE_SECS[@]:1}")
# the median of the warm updates (n/a with a single update)
warm_update=$(printf '%s\n' "${warm_updates[@]}" | sort -n | awk 'NF { v[++n] = $1 }
  END { if (n == 0) print "n/a"; else printf "%.1f", (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }')
[[ $warm_update == n/a ]] || echo "warm updates: ${warm_updates[*]} s, median $warm_update s"
row_refresh="| \`gold refresh\` (all of silver) | $refresh_secs | $(one "$refresh_wall") |"
row_refresh+=" | $(rss_mb "$WORK/refresh.rss") |"
row_plain="| plain groupBy job, same silver | $plain_secs | $(one "$plain_wall") | refresh takes"
row_plain+=" $(ratio "$refresh_secs" "$plain_secs")× the plain job's time in the job,"
row_plain+=" $(ratio "$refresh_wall" "$plain_wall")× with JVM start | $(rss_mb "$WORK/plain.rss") |"
row_catchup="| gold service catching up from an empty checkpoint ($(plural "$catchup_batches" batch))"
row_catchup+=" | $(one "$catchup_secs") | | $(ratio "$catchup_secs" "$refresh_secs")× the refresh's time | |"
row_first="| first incremental update after the catch-up: about 10,000 new silver rows on $(thousands "$history_rows")"
row_first+=" | $first_update | | $(ratio "$first_update" "$refresh_secs")× the refresh's time |"
rows_update=("$row_first")
if [[ $warm_update != n/a ]]; then
  row_warm="| the next ${#warm_updates[@]} update$([[ ${#warm_updates[@]} == 1 ]] || echo s), warm, about 10,000 new rows each:"
  row_warm+=" $(printf '%s s, ' "${warm_updates[@]}" | sed 's/, $//') | $warm_update (median) |"
  row_warm+=" | $(ratio "$warm_update" "$refresh_secs")× the refresh's time |"
  rows_update+=("$row_warm")
fi
rows_update[-1]+=" $gold_rss MB (gold service) |"
report_section "gold-$EVENTS" "Gold over $(thousands "$history_rows") silver rows" "bench/gold.sh $EVENTS $DAYS"
report "$(thousands "$EVENTS") generated events over $DAYS days → bronze → silver" \
  "($(thousands "$history_rows") rows after a backfill of every date); heap $CLICKCARTEL_GOLD_JAVA_OPTS for gold and" \
  "the plain job alike. The plain job (bench/PlainGold.java) computes the same five tables with plain groupBy and" \
  "window functions over the same silver, with gold's Spark settings, and writes them as Delta overwrites; it has" \
  "none of gold's leases, state tables, transaction ids or data-quality log. Its tables against the refresh's," \
  "value for value: ${differing:-all $checked equal}. The updates follow one another, each on a new day." "" \
  "| figure | seconds in the job | seconds with JVM start | ratio | peak RSS |" "|---|---:|---:|---|---:|" \
  "$row_refresh" "$row_plain" "$row_catchup" "${rows_update[@]}" ""
report_summary "gold refresh, $(thousands "$history_rows") silver rows" "$refresh_secs s" \
  "$plain_secs s (plain groupBy job)" "$(ratio "$plain_secs" "$refresh_secs")× the plain job's speed" "—"
if [[ $warm_update == n/a ]]; then update_figure="$first_update s (first after the catch-up)"; headline=$first_update
else update_figure="$warm_update s warm (median of ${#warm_updates[@]}); $first_update s first after the catch-up"
  headline=$warm_update; fi
report_summary "gold, one update of 10k events on $(thousands "$history_rows") rows of history" \
  "$update_figure" "$refresh_secs s (full refresh)" \
  "$(ratio "$headline" "$refresh_secs")× the refresh's time" "≤ 5 s at 5 M rows"
if [[ -n ${CLICKCARTEL_BENCH_REPORT:-} ]]; then
  printf '%s\t%s\t%s\t%s\n' "$EVENTS" "$history_rows" "$first_update" "$warm_update" \
    >>"$CLICKCARTEL_BENCH_REPORT/gold-scale.tsv"
fi
