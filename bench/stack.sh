# The whole stack on loopback for the bench scripts that run it (sourced): a broker on 19092-19093 and the ingest,
# bronze, silver and gold services on ports 18480-18483, all working in $WORK and stopped when the script exits.
# Expects ROOT and WORK to be set; reference data in $WORK/data (datagen generate --out "$WORK/data").
export CLICKCARTEL_KAFKA_PORT=19092 CLICKCARTEL_KAFKA_CONTROLLER_PORT=19093 CLICKCARTEL_KAFKA_DIR="$WORK/kafka"
export CLICKCARTEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092
export CLICKCARTEL_LAKE="$WORK/lake" CLICKCARTEL_CHECKPOINTS="$WORK/checkpoints" CLICKCARTEL_BRONZE_LANDING="$WORK/landing"
export CLICKCARTEL_SILVER_CUSTOMERS="$WORK/data/customers.csv" CLICKCARTEL_SILVER_PRODUCTS="$WORK/data/products.parquet"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  CLICKCARTEL_SKIP_BUILD=1 ./clickcartel kafka stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
source "$ROOT/scripts/lib.sh"
INGEST_PORT=18480 BRONZE_PORT=18481 SILVER_PORT=18482 GOLD_PORT=18483

# start_stack: the broker, then the four services (logs in $WORK/logs); returns once every one is ready
start_stack() {
  mkdir -p "$WORK/logs"
  ./clickcartel kafka start >/dev/null
  local port=$INGEST_PORT layer
  for layer in ingest bronze silver gold; do
    QUARKUS_HTTP_PORT=$port ./clickcartel "$layer" >"$WORK/logs/$layer.log" 2>&1 & PIDS+=($!)
    port=$((port + 1))
  done
  for port in $INGEST_PORT $BRONZE_PORT $SILVER_PORT $GOLD_PORT; do
    await_service "$port" "a service (see $WORK/logs)" || exit 1
  done
}

# stack_peak_rss: each service's and the broker's peak resident memory so far, as "name MB" lines (the services by
# the pids start_stack recorded: ./clickcartel execs their JVMs; the broker by its own configuration file)
stack_peak_rss() {
  local i=0 name
  for name in ingest bronze silver gold; do
    echo "$name $(peak_rss_of "${PIDS[$i]}")"
    i=$((i + 1))
  done
  echo "kafka-broker $(peak_rss_mb "$CLICKCARTEL_KAFKA_DIR/server.properties")"
}
