# What a bench script contributes to BENCHMARKS.md (sourced). bench/suite.sh sets CLICKCARTEL_BENCH_REPORT to a
# folder; a script run on its own leaves it unset and these functions do nothing, so its printed lines stay the
# whole output. Each script writes one section, <folder>/<name>.md, and its headline figures to <folder>/summary.tsv.

# report_section NAME TITLE COMMAND: starts the script's section: a heading and the command that reproduces it
report_section() {
  [[ -n ${CLICKCARTEL_BENCH_REPORT:-} ]] || return 0
  REPORT_FILE="$CLICKCARTEL_BENCH_REPORT/$1.md"
  printf '## %s\n\n```bash\n%s\n```\n\n' "$2" "$3" >"$REPORT_FILE"
}

# report TEXT...: appends lines (markdown) to the section
report() {
  [[ -n ${CLICKCARTEL_BENCH_REPORT:-} ]] || return 0
  printf '%s\n' "$@" >>"$REPORT_FILE"
}

# report_summary WHAT FIGURE BASELINE RATIO TARGET: one row of the summary table at the top of BENCHMARKS.md
report_summary() {
  [[ -n ${CLICKCARTEL_BENCH_REPORT:-} ]] || return 0
  printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$CLICKCARTEL_BENCH_REPORT/summary.tsv"
}

# ratio A B: A / B to two decimals (three below 0.1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b <= 0) printf "n/a"; else printf (a / b < 0.1 ? "%.3f" : "%.2f"), a / b }'; }

# thousands N: N with thousands separators, e.g. 1,020,096
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"${1%.*}"; }
