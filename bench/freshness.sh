#!/usr/bin/env bash
# Freshness under a steady load: the whole stack (broker, ingest, bronze, silver, gold) on loopback takes RATE
# events/s through the ingest API for MINUTES minutes (one day of event time); once every layer has caught up,
# bench/Freshness.java reads the lake and gives, for each event that reached silver, the time from its arrival at
# ingest (its received_at) until the Delta commit that made it visible in bronze, in silver and in each gold table:
# p50, p99 and max per table. Also the peak RSS of every process of the stack.
#   bench/freshness.sh [--rate 1000] [--minutes 10]
#   (loopback only; ports 19092-19093 and 18480-18483; works in ./run/bench-freshness)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
RATE=1000 MINUTES=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --minutes) MINUTES="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/freshness.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
WORK="$ROOT/run/bench-freshness"
rm -rf "$WORK" && mkdir -p "$WORK"
source "$ROOT/bench/stack.sh"
source "$ROOT/bench/report.sh"
# Freshness.java reads how far each gold batch read from gold's checkpoint: keep every batch's offsets (Spark keeps
# the last 100 by default, 17 minutes of gold's 10-second trigger)
export CLICKCARTEL_SPARK_CONF="spark.sql.streaming.minBatchesToRetain=100000"

./clickcartel build
export CLICKCARTEL_SKIP_BUILD=1
events=$((RATE * MINUTES * 60))
./clickcartel datagen generate --out "$WORK/data" --events "$events" --days 1 --landing-share 0 --no-expected | head -1
start_stack
echo "stack ready; sending $events events at $RATE/s for $MINUTES min"
started=$SECONDS
timeout $((MINUTES * 60 + 600)) ./clickcartel datagen send --from "$WORK/data" --url "http://localhost:$INGEST_PORT" \
  --rate "$RATE" >"$WORK/logs/send.log" 2>&1
sent_in=$((SECONDS - started))
accepted=$(metric $INGEST_PORT clickcartel_ingest_events_accepted_total)
echo "sent in $sent_in s: $(tail -1 "$WORK/logs/send.log")"

# every layer catches up with what the one before it holds (the waits are bounded: 30 min each)
await_rows $BRONZE_PORT bronze-kafka "$accepted"
await_rows $SILVER_PORT silver-events "$accepted"
in_silver=$(metric $SILVER_PORT clickcartel_stream_observed_total '{metric="written.rows",query="silver-events"}')
await_rows $GOLD_PORT gold "$in_silver"
echo "caught up $((SECONDS - started - sent_in)) s after the last event was sent: $accepted accepted, $in_silver in silver"
rss=$(stack_peak_rss)

spark_program gold-aggregator -Xmx2g "$ROOT/bench/Freshness.java" "$CLICKCARTEL_LAKE" "$CLICKCARTEL_CHECKPOINTS" \
  2>"$WORK/logs/freshness.log" | grep '^freshness ' | tee "$WORK/freshness.txt"
grep '^freshness of' "$WORK/logs/freshness.log" || true
# every event in silver must be found in every table: a count short of it would make the percentiles a subset's
awk -v silver="$in_silver" '$3 != silver { print "note: " $3 " events of " silver " measured in " $2; short = 1 }
  END { exit short }' "$WORK/freshness.txt" || true
echo "peak RSS (MB):" $rss

report_section freshness "Freshness at $(thousands "$RATE") events/s" "bench/freshness.sh --rate $RATE --minutes $MINUTES"
report "The whole stack on loopback took $(thousands "$accepted") events through the ingest API at $RATE events/s for" \
  "$MINUTES minutes (sent in $sent_in s); $(thousands "$in_silver") reached silver. For each of them, the time from its" \
  "arrival at ingest (\`received_at\`) until the Delta commit that made it visible in each table:" "" \
  "| table | events | p50 s | p99 s | max s |" "|---|---|---|---|---|"
while read -r _ table count p50 p99 max; do
  report "| \`$table\` | $(thousands "$count") | $p50 | $p99 | $max |"
done <"$WORK/freshness.txt"
report "" "\`gold.sessions\`, \`gold.customer_daily\` and \`gold.customer_totals\` are gold's own state; a gold batch" \
  "recomputes its dates from silver as it stands, so an event can show in gold a batch earlier than counted here:" \
  "the gold figures are upper bounds." "" "Peak RSS during the run: $(awk '{ printf "%s%s %s MB", (NR > 1 ? ", " : ""), $1, $2 }' <<<"$rss")." ""
silver=$(awk '$2 == "silver.events" { print $4 " / " $5 " (" $3 " events)" }' "$WORK/freshness.txt")
# of the five tables the teams read (gold.sessions, customer_daily and customer_totals are gold's own state)
slowest=$(grep -E ' gold\.(product_daily|funnel_daily|journey_daily|purchase_paths|customer_value) ' "$WORK/freshness.txt" \
  | sort -k5 -g | awk '{ line = $2 ": " $4 " / " $5 " (" $3 " events)" } END { print line }')
report_summary "freshness at $RATE events/s, silver (p50 / p99 s)" "$silver" "—" "—" "p50 ≤ 10 s, p99 ≤ 30 s"
report_summary "freshness at $RATE events/s, slowest gold table (p50 / p99 s)" "$slowest" "—" "—" "p50 ≤ 10 s, p99 ≤ 30 s"
largest=$(sort -k2 -n <<<"$rss" | tail -1)
report_summary "peak RSS, largest process of the stack at $RATE events/s" "${largest#* } MB (${largest% *})" "—" "—" "≤ 1,536 MB"
