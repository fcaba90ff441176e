#!/usr/bin/env bash
# Chaos, longer than the suite's run: the demo's data set flows through the whole pipeline while a seeded schedule
# SIGKILLs bronze, silver and gold at random moments and restarts them; at the end the layer counts and every gold
# table must equal the ground truth exactly. The same test as the suite's ChaosIT, with more kills and events.
#   bench/chaos.sh [--kills N] [--seed S] [--events E]   (defaults 30, 1, 6000; loopback only)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
KILLS=30 SEED=1 EVENTS=6000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) KILLS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/chaos.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
./clickcartel build
"$ROOT/mvnw" -B -ntp verify -pl e2e -Dit.test=ChaosIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dclickcartel.chaos.kills="$KILLS" -Dclickcartel.chaos.seed="$SEED" -Dclickcartel.chaos.events="$EVENTS"
