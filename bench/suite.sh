#!/usr/bin/env bash
# The benchmark suite: every layer beside a plain baseline, measured in one run on this machine, written to
# BENCHMARKS.md (regenerated whole; figures, baselines, ratios, the commands). Sections, in order:
#   ingest     bench/ingest.sh: single events and batches through the API vs Kafka's own ProducerPerformance
#   bronze     bench/bronze-throughput.sh EVENTS: the bronze writer vs Spark's Kafka source into noop
#   silver     bench/silver-vs-plain.sh EVENTS: the silver processor vs a plain Spark job doing the same work
#   gold       bench/gold.sh SCALE per scale: refresh vs plain groupBy; 10k-event updates (first, warm) vs history size
#   freshness  bench/freshness.sh: POST-to-visible per table under a steady load, and every process's peak RSS
#   bench/suite.sh [--events 1000000] [--gold-scales 1000000,5000000,10000000] [--rate 1000] [--minutes 10]
#                  [--only SECTION,...]   (loopback only; needs wrk: apt-get install wrk; works in ./run/bench-suite)
# With --only, the report goes to run/bench-suite/BENCHMARKS.md instead: BENCHMARKS.md holds whole runs only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
EVENTS=1000000 GOLD_SCALES=1000000,5000000,10000000 RATE=1000 MINUTES=10 ONLY=
ARGS="$*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --gold-scales) GOLD_SCALES="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --minutes) MINUTES="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/suite.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
SECTIONS=(ingest bronze silver gold freshness)
for section in ${ONLY//,/ }; do
  [[ " ${SECTIONS[*]} " == *" $section "* ]] || { echo "bench/suite.sh: no section $section (${SECTIONS[*]})" >&2; exit 2; }
done
WORK="$ROOT/run/bench-suite"
rm -rf "$WORK" && mkdir -p "$WORK/report"
export CLICKCARTEL_BENCH_REPORT="$WORK/report"
source "$ROOT/bench/report.sh"
OUT="$ROOT/BENCHMARKS.md"
[[ -z $ONLY ]] || OUT="$WORK/BENCHMARKS.md"

./clickcartel build
export CLICKCARTEL_SKIP_BUILD=1
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
changed=$(git status --porcelain --untracked-files=no 2>/dev/null | awk '{ print $NF }' | paste -sd, - | sed 's/,/, /g')
[[ -z $changed ]] || commit="$commit with uncommitted changes to $changed"
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
SECONDS=0
FAILED=()
run() { # SECTION COMMAND...: runs one section's script, its output in $WORK/SECTION.log and on the terminal; a
  # section that fails is named in the report, and the others still run
  local section=$1 began=$SECONDS; shift
  [[ -z $ONLY || ",$ONLY," == *",$section,"* ]] || return 0
  echo "== $section: $*"
  "$@" 2>&1 | tee -a "$WORK/$section.log" || FAILED+=("\`$*\` (see run/bench-suite/$section.log)")
  printf '%s\t%s\n' "$section" $((SECONDS - began)) >>"$WORK/durations.tsv"
}
run ingest bench/ingest.sh
run bronze bench/bronze-throughput.sh "$EVENTS"
run silver bench/silver-vs-plain.sh "$EVENTS" 1
for scale in ${GOLD_SCALES//,/ }; do
  run gold bench/gold.sh "$scale" $(((scale + 199999) / 200000))   # about 200,000 events a day of history
done
run freshness bench/freshness.sh --rate "$RATE" --minutes "$MINUTES"

{
  echo "# Benchmarks"
  echo
  echo "Each layer of Clickcartel beside a plain baseline doing the same work, measured in one run of"
  echo "\`bench/suite.sh${ARGS:+ $ARGS}\` on $started_at at commit $commit, on this machine: $(nproc) cores,"
  echo "$(free -g | awk '/^Mem:/ { print $2 }') GiB, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
    "$(java -version 2>&1 | head -1). The run took $((SECONDS / 60)) minutes. This file is generated: run the suite to"
  echo "regenerate it. Ratios are the figure over its baseline from the same run; targets are issue #17's. Other"
  echo "measurements (the insights API, data generation, the lake over a long run) and earlier figures are in"
  echo "[docs/benchmarks.md](docs/benchmarks.md)."
  echo
  if [[ ${#FAILED[@]} -gt 0 ]]; then
    echo "**Sections that failed in this run, so their figures are missing:** ${FAILED[*]}."
    echo
  fi
  echo "| what | figure | baseline | ratio | target |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$WORK/report/summary.tsv" 2>/dev/null
  echo
  for section in ingest bronze silver $(printf 'gold-%s ' ${GOLD_SCALES//,/ }) freshness; do
    if [[ -f $WORK/report/$section.md ]]; then cat "$WORK/report/$section.md"; fi
  done
  if [[ -f $WORK/report/gold-scale.tsv ]]; then
    echo "## Gold: one update against the size of its history"
    echo
    echo "The same kind of update — 10,000 new events on a new day — on top of each history above: the first after"
    echo "the service's catch-up, then the median of the warm ones that follow. It should cost the same whatever the"
    echo "history: its work follows the batch, not the table."
    echo
    echo "| silver rows of history | first update (s) | warm update, median (s) | warm vs the smallest history |"
    echo "|---|---|---|---|"
    sort -n -k2 "$WORK/report/gold-scale.tsv" | awk -F'\t' '
      function commas(n) { return n < 1000 ? n : commas(int(n / 1000)) sprintf(",%03d", n % 1000) }
      NR == 1 { first = $4 }
      { printf "| %s | %s | %s | %s |\n", commas($2), $3, $4, ($4 > 0 && first > 0 ? sprintf("%.2f×", $4 / first) : "n/a") }'
    echo
  fi
  echo "Time per section (min): $(awk -F'\t' '!($1 in t) { order[++n] = $1 } { t[$1] += $2 }
    END { for (i = 1; i <= n; i++) printf "%s%s %.0f", (i > 1 ? "; " : ""), order[i], t[order[i]] / 60 }' \
    "$WORK/durations.tsv")."
} >"$OUT"
echo "written: $OUT"
[[ ${#FAILED[@]} -eq 0 ]] || { echo "failed: ${FAILED[*]}" >&2; exit 1; }
