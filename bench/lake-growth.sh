#!/usr/bin/env bash
# The lake over a steady run: the whole stack (broker, ingest, bronze, silver, gold) takes RATE events/s through the
# ingest API for MINUTES minutes, one day of event time per minute, while `maintain` runs every MAINTAIN minutes as
# the nightly CronJob would; bench/LakeGrowth.java samples every table each minute (files its version reads, the
# most in one partition, files stored, its _delta_log) and each layer's batch times from their
# data-quality logs. Prints per table the files before and after each maintenance and at the end, and gold's batch
# time per period of the run: what must stay bounded for a lake that runs for years.
#   bench/lake-growth.sh [--minutes 36] [--rate 200] [--maintain-every 12] [--auto-compact]
#   (loopback only; ports 19092-19093 and 18480-18483; works in ./run/bench-lake-growth; the samples: growth.tsv)
# --auto-compact turns on Delta's auto compaction in every layer (spark.databricks.delta.autoCompact.enabled).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MINUTES=36 RATE=200 MAINTAIN=12 AUTO_COMPACT=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --maintain-every) MAINTAIN="$2"; shift 2 ;;
    --auto-compact) AUTO_COMPACT=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/lake-growth.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
WORK="$ROOT/run/bench-lake-growth"
rm -rf "$WORK" && mkdir -p "$WORK"
source "$ROOT/bench/stack.sh"
if [[ $AUTO_COMPACT == 1 ]]; then
  export CLICKCARTEL_SPARK_CONF="spark.databricks.delta.autoCompact.enabled=true"
fi

./clickcartel build
export CLICKCARTEL_SKIP_BUILD=1
events=$((RATE * MINUTES * 60))
./clickcartel datagen generate --out "$WORK/data" --events "$events" --days "$MINUTES" --landing-share 0 \
  --no-expected | head -1
start_stack
echo "stack ready; sending $events events at $RATE/s for $MINUTES min (maintenance every $MAINTAIN min)"

spark_program gold-aggregator -Xmx1g "$ROOT/bench/LakeGrowth.java" "$CLICKCARTEL_LAKE" 60 "$WORK/growth.tsv" >"$WORK/logs/sampler.log" 2>&1 & PIDS+=($!)
./clickcartel datagen send --from "$WORK/data" --url http://localhost:$INGEST_PORT --rate "$RATE" \
  >"$WORK/logs/send.log" 2>&1 & SENDER=$!
PIDS+=($SENDER)

# one maintenance at a time, in the background, as a CronJob with concurrencyPolicy Forbid: the streams go on
maintain() { # MINUTE
  printf 'maintain\t%s\tstart\n' "$(minutes)" >>"$WORK/growth.tsv"
  QUARKUS_HTTP_PORT=0 ./clickcartel maintain >"$WORK/logs/maintain-$1.log" 2>&1
  printf 'maintain\t%s\tend\n' "$(minutes)" >>"$WORK/growth.tsv"
  echo "maintenance of minute $1 done at minute $(minutes):"
  sed -n 's/^maintain //p' "$WORK/logs/maintain-$1.log" | grep -v '^:' | sed 's/^/  /'
}
minutes() { awk -v s=$((SECONDS - started)) 'BEGIN { printf "%.1f", s / 60 }'; }
started=$SECONDS
MAINTAINING=
for ((minute = 1; minute <= MINUTES; minute++)); do
  pause=$((started + minute * 60 - SECONDS))
  [[ $pause -gt 0 ]] && sleep "$pause"
  if [[ $MAINTAIN -gt 0 && $((minute % MAINTAIN)) == 0 ]]; then
    # this shell's running jobs, not kill -0: a finished job's pid may be reused (pid_max is often 32768)
    if [[ -n $MAINTAINING ]] && jobs -rp | grep -qx "$MAINTAINING"; then
      echo "minute $minute: the previous maintenance still runs; this one is skipped"
    else
      maintain "$minute" & MAINTAINING=$!
      PIDS+=($MAINTAINING)
    fi
  fi
done
kill "$SENDER" 2>/dev/null || true
echo "sent: $(metric $INGEST_PORT clickcartel_ingest_events_accepted_total) events accepted"
[[ -n $MAINTAINING ]] && wait "$MAINTAINING" 2>/dev/null || true
sleep 65 # the last sample

echo
echo "Files each table's current version reads (the most in one partition), every 5 minutes; at the end also the"
echo "files stored (live + replaced, until VACUUM's retention) and its _delta_log (files, KB)"
awk -F'\t' -v minutes="$MINUTES" '
  $1 == "maintain" { runs = runs sprintf(" %s at %s min;", $3, $2) }
  $1 == "table" { t = $3; tables[t] = 1; mark = int($2 / 5) * 5
                  if (mark >= 5 && !((t, mark) in at)) at[t, mark] = $4 " (" $5 ")"
                  last[t] = $4 " (" $5 ")"; stored[t] = $6; log_[t] = $7 ", " int($8 / 1024) }
  END { printf "| table |"; for (m = 5; m <= minutes; m += 5) printf " %d min |", m
        printf " end | stored at the end | _delta_log at the end |\n|---|"
        for (m = 5; m <= minutes + 15; m += 5) printf "---|"; printf "\n"
        for (t in tables) { printf "| %s |", t | "sort"; for (m = 5; m <= minutes; m += 5) printf " %s |", at[t, m] | "sort"
                            printf " %s | %s | %s |\n", last[t], stored[t], log_[t] | "sort" }
        close("sort"); print "maintenance:" runs }' "$WORK/growth.tsv"
echo
echo "Batches per 5 minutes (from the data-quality logs): count, median of the minutes' medians, slowest (ms), rows"
awk -F'\t' '
  $1 == "batches" { period = int(($2 - 0.01) / 5); key = $3 SUBSEP period; n[key] += $4; rows[key] += $7
                    if ($6 > slowest[key]) slowest[key] = $6; if ($4 > 0) medians[key] = medians[key] " " $5
                    queries[$3] = 1; if (period > last) last = period }
  function median(list,   m, k, i, j, x) { # of the numbers in list (mawk has no asort)
    k = split(list, m, " ")
    for (i = 2; i <= k; i++) { x = m[i] + 0; for (j = i - 1; j >= 1 && m[j] + 0 > x; j--) m[j + 1] = m[j]; m[j + 1] = x }
    return k ? m[int((k + 1) / 2)] : 0 }
  END { for (q in queries) { printf "%s:", q
          for (p = 0; p <= last; p++) { key = q SUBSEP p
            printf " | %d-%d min: %d, %d, %d, %d", p * 5, p * 5 + 5, n[key], median(medians[key]), slowest[key], rows[key] }
          printf "\n" } }' "$WORK/growth.tsv"
echo "samples: $WORK/growth.tsv; maintenance runs: $WORK/logs/maintain-*.log"
