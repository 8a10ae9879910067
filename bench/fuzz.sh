#!/usr/bin/env bash
# The ingest fuzz tests (IngestFuzzTest) for longer than the 20 s dev/test gives them.
#   bench/fuzz.sh [seconds] [seed]     default 600 s, a new seed (printed; pass it to replay a failure)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
seed_opt=()
[ -n "${2:-}" ] && seed_opt=("-Dfuzz.seed=$2")
mkdir -p bench/out
mvn -B -q test -Dtest=IngestFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seconds="$seconds" \
  "${seed_opt[@]}" 2>&1 | tee bench/out/fuzz.log | grep -E "IngestFuzzTest|FAIL|Tests run" || true
grep -q "BUILD FAILURE\|FAILURE!" bench/out/fuzz.log && { echo "bench/fuzz.sh: a property failed (bench/out/fuzz.log)" >&2; exit 1; }
echo "bench/fuzz.sh: all properties held for ${seconds} s"
