#!/usr/bin/env bash
# Times a fresh clone's `cargo test --workspace` at each commit given, as
# BENCHMARKS.md reports it: every commit in a clone and a target folder of
# its own, the README's demo first (not timed) to build the dependencies,
# then the tests, timed, with `CI=true` and a throwaway Postgres. Each round
# restores the target folder the demo left and runs the commits in turn, the
# order reversed every other round, so a slow spell of the machine and the
# place in the pair fall on both.
#
#     bash scripts/test-time.sh b29317b HEAD             # one round
#     ROUNDS=3 bash scripts/test-time.sh b29317b HEAD    # three
#
# Prints a line per run (round, commit, seconds, tests passed and failed);
# the logs stay in the work folder it names ($WORK, or a new temporary one).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 COMMIT [COMMIT ...]" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
rounds=${ROUNDS:-1}
echo "test-time.sh: work folder $work" >&2

postgres_env=$(bash "$repo/scripts/postgres.sh")
eval "$postgres_env"
trap 'bash "$repo/scripts/postgres.sh" stop "$VEXORA_TEST_POSTGRES_DIR"' EXIT
export CI=true

revs=()
for rev in "$@"; do
  commit=$(git -C "$repo" rev-parse --short "$rev^{commit}")
  revs+=("$commit")
  if [ ! -d "$work/$commit/demo-target" ]; then
    rm -rf "$work/$commit" && mkdir -p "$work/$commit"
    git clone -q "$repo" "$work/$commit/clone"
    git -C "$work/$commit/clone" checkout -q "$commit"
    echo "test-time.sh: $commit: the demo builds the dependencies (not timed)" >&2
    (cd "$work/$commit/clone" && CARGO_TARGET_DIR="$work/$commit/target" cargo run -q -p vexora-cli -- demo) \
      > "$work/$commit/demo.log" 2>&1
    mv "$work/$commit/target" "$work/$commit/demo-target"
  fi
done

for round in $(seq 1 "$rounds"); do
  order=("${revs[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#revs[@]} - 1; i >= 0; i--)); do order+=("${revs[i]}"); done
  fi
  for commit in "${order[@]}"; do
    rm -rf "$work/$commit/target" && cp -a "$work/$commit/demo-target" "$work/$commit/target"
    log="$work/$commit/test-round-$round.log"
    started=$(date +%s.%N)
    status=0
    (cd "$work/$commit/clone" && CARGO_TARGET_DIR="$work/$commit/target" cargo test --workspace) > "$log" 2>&1 || status=$?
    ended=$(date +%s.%N)
    counts=$(awk '/^test result/ { passed += $4; failed += $6 } END { printf "%d passed, %d failed", passed, failed }' "$log")
    seconds=$(awk -v from="$started" -v to="$ended" 'BEGIN { printf "%.1f", to - from }')
    echo "round $round  $commit  $seconds s  $counts  exit $status"
  done
done
