# Shared by the bench scripts (sourced): a lake in $WORK that needs no broker, and waits on the services' metrics.
# Expects ROOT and WORK to be set.
export CLICKCARTEL_LAKE="$WORK/lake" CLICKCARTEL_CHECKPOINTS="$WORK/checkpoints" CLICKCARTEL_BRONZE_LANDING="$WORK/landing"
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1   # no broker: the Kafka query just finds nothing
export CLICKCARTEL_SILVER_CUSTOMERS="$WORK/data/customers.csv" CLICKCARTEL_SILVER_PRODUCTS="$WORK/data/products.parquet"
cleanup() { kill ${PID:-} 2>/dev/null || true; }
trap cleanup EXIT
# metric PORT QUERY: the rows a service's streaming query has read so far
metric() { curl -s "localhost:$1/q/metrics" | sed -n "s/^clickcartel_stream_rows_total{query=\"$2\"} \([0-9.E]*\)/\1/p" | awk '{printf "%d", $1}'; }
await_rows() { # PORT QUERY ROWS
  local deadline=$((SECONDS + 1800))
  until [ "$(metric "$1" "$2" || echo 0)" -ge "$3" ] 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "$2 did not read $3 rows in 30 min; see $WORK"; exit 1; }
    sleep 1
  done
}
# land_in_bronze PORT LINES: runs the bronze writer until its landing query has read LINES rows, then stops it
land_in_bronze() {
  QUARKUS_HTTP_PORT=$1 CLICKCARTEL_BRONZE_MAX_FILES_PER_TRIGGER=1000 ./clickcartel bronze >>"$WORK/bronze.log" 2>&1 & PID=$!
  await_rows "$1" bronze-files "$2"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
# run_silver PORT ROWS: runs the silver processor until its events query has read ROWS bronze rows, then stops it;
# prints the silver rows it wrote
run_silver() {
  QUARKUS_HTTP_PORT=$1 CLICKCARTEL_SILVER_MAX_BYTES_PER_TRIGGER=256m ./clickcartel silver >>"$WORK/silver.log" 2>&1 & PID=$!
  await_rows "$1" silver-events "$2"
  curl -s "localhost:$1/q/metrics" | grep '^clickcartel_stream_observed_total{' | grep 'metric="written.rows"' \
    | grep 'query="silver-events"' | awk '{printf "%d\n", $2}'
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
generate() { # OUT EVENTS DAYS [more datagen options]
  local out=$1 events=$2 days=$3; shift 3
  ./clickcartel datagen generate --out "$out" --events "$events" --days "$days" --landing-share 1 --no-expected \
    --customers 20000 --products 2000 --events-per-file 100000 "$@" | head -1
}
