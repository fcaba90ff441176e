# Shared by the bench scripts that need no broker (sourced): a lake in $WORK, and each layer run over a backlog.
# Expects ROOT and WORK to be set.
export CLICKCARTEL_LAKE="$WORK/lake" CLICKCARTEL_CHECKPOINTS="$WORK/checkpoints" CLICKCARTEL_BRONZE_LANDING="$WORK/landing"
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1   # no broker: the Kafka query just finds nothing
export CLICKCARTEL_SILVER_CUSTOMERS="$WORK/data/customers.csv" CLICKCARTEL_SILVER_PRODUCTS="$WORK/data/products.parquet"
cleanup() { kill ${PID:-} 2>/dev/null || true; }
trap cleanup EXIT
source "$ROOT/scripts/lib.sh"
# land_in_bronze PORT LINES: runs the bronze writer until its landing query has read LINES rows, then stops it
land_in_bronze() {
  QUARKUS_HTTP_PORT=$1 CLICKCARTEL_BRONZE_MAX_FILES_PER_TRIGGER=1000 ./clickcartel bronze >>"$WORK/bronze.log" 2>&1 & PID=$!
  await_rows "$1" bronze-files "$2" || { echo "see $WORK"; exit 1; }
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
# run_silver PORT ROWS: runs the silver processor until its events query has read ROWS bronze rows, then stops it;
# prints the silver rows it wrote
run_silver() {
  QUARKUS_HTTP_PORT=$1 CLICKCARTEL_SILVER_MAX_BYTES_PER_TRIGGER=256m ./clickcartel silver >>"$WORK/silver.log" 2>&1 & PID=$!
  await_rows "$1" silver-events "$2" || { echo "see $WORK"; exit 1; }
  metric "$1" clickcartel_stream_observed_total '{metric="written.rows",query="silver-events"}'
  echo
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
generate() { # OUT EVENTS DAYS [more datagen options]
  local out=$1 events=$2 days=$3; shift 3
  ./clickcartel datagen generate --out "$out" --events "$events" --days "$days" --landing-share 1 --no-expected \
    --customers 20000 --products 2000 --events-per-file 100000 "$@" | head -1
}
