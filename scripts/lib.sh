# Shared by ./clickcartel demo and the bench scripts (sourced): what the services' metrics say, and waiting on them.

# metric PORT NAME [LABELS]: a sample of a service's Prometheus metrics as an integer; 0 when absent or unreachable
metric() {
  { curl -sf "localhost:$1/q/metrics" 2>/dev/null || true; } \
    | awk -v key="$2${3:-}" '$1 == key { printf "%d", $2; found = 1 } END { if (!found) printf "0" }'
}

# stream_rows PORT QUERY: the rows a service's streaming query has read so far
stream_rows() { metric "$1" clickcartel_stream_rows_total "{query=\"$2\"}"; }

# await_rows PORT QUERY ROWS [TIMEOUT_S]: waits until the query has read ROWS rows (fails after TIMEOUT_S, 1800)
await_rows() {
  local deadline=$((SECONDS + ${4:-1800}))
  until [ "$(stream_rows "$1" "$2")" -ge "$3" ]; do
    [ $SECONDS -lt $deadline ] || { echo "$2 did not read $3 rows in ${4:-1800} s" >&2; return 1; }
    sleep 1
  done
}

# await_service PORT WHAT [TIMEOUT_S]: waits until the service on PORT is ready (fails after TIMEOUT_S, 300, naming WHAT)
await_service() {
  local deadline=$((SECONDS + ${3:-300}))
  until curl -sf -o /dev/null "localhost:$1/q/health/ready" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "$2 is not ready on port $1 after ${3:-300} s" >&2; return 1; }
    sleep 1
  done
}

# peak_rss_of PID: the peak resident memory (MB) of process PID so far; 0 when it is gone
peak_rss_of() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# peak_rss_mb PATTERN: the same for the running process whose command line matches PATTERN
peak_rss_mb() { peak_rss_of "$(pgrep -f "$1" | head -1)"; }

# metric_value PORT NAME [LABELS]: a sample of a service's Prometheus metrics as it is (a decimal); 0 when absent
metric_value() {
  { curl -sf "localhost:$1/q/metrics" 2>/dev/null || true; } \
    | awk -v key="$2${3:-}" '$1 == key { print $2; found = 1 } END { if (!found) print 0 }'
}

# batch_throughput QUERY PORT STARTED FINISHED PEAK_MB: the rows/s of QUERY's batches, from its service's metrics
# (rows read, and the time spent in the batches that read them); the service must still be running
batch_throughput() {
  local rows secs
  rows=$(stream_rows "$2" "$1")
  secs=$(metric_value "$2" clickcartel_stream_busy_seconds_total "{query=\"$1\"}")
  awk -v query="$1" -v rows="$rows" -v secs="$secs" -v total="$(echo "$4 - $3" | bc)" -v mb="$5" 'BEGIN {
    printf "%s: %d rows; %.0f rows/s inside batches (%.1f s), %.0f rows/s from JVM start (%.1f s); peak RSS %d MB\n",
      query, rows, rows / secs, secs, rows / total, total, mb }'
}

# spark_command ARRAY MODULE JVM_OPTIONS PROGRAM: sets ARRAY to the command that runs PROGRAM on a Spark service's
# classpath (its quarkus-app jars), with the same JVM options Spark needs there; JVM_OPTIONS is split at spaces.
# PROGRAM is a single-file Java program (bench/*.java), run from source, or CLASSES/NAME, a class compiled beforehand
# into the folder CLASSES, for a run whose wall time must not hold a compilation. Logging stops at INFO as in the
# services: Quarkus' start-up configurator, on that classpath, otherwise lets every level through, and Spark then
# formats all its plan changes and generated code for TRACE and DEBUG lines, which slowed the plain baselines.
# service_classpath MODULE: a Spark service's jars, as a java classpath
service_classpath() { echo "$ROOT/$1/target/quarkus-app/lib/boot/*:$ROOT/$1/target/quarkus-app/lib/main/*"; }

spark_command() {
  local -n spark_command_=$1
  local module=$2 options=$3 program=$4
  local classpath
  classpath=$(service_classpath "$module")
  if [[ $program != *.java ]]; then classpath="${program%/*}:$classpath"; program="${program##*/}"; fi
  # shellcheck disable=SC2206 # the options are words
  spark_command_=(java "@$ROOT/spark-parent/spark-add-opens.args" $options
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dlogging.initial-configurator.min-level=INFO
    -cp "$classpath" "$program")
}

# spark_program MODULE JVM_OPTIONS PROGRAM ARGS...: runs spark_command's command with ARGS. Run in the background (or
# in a pipeline) it replaces its subshell, so that $! is the JVM's pid and killing it stops the JVM.
spark_program() {
  local command
  spark_command command "$1" "$2" "$3"
  shift 3
  command+=("$@")
  if [[ $BASHPID != "$$" ]]; then exec "${command[@]}"; fi
  "${command[@]}"
}
