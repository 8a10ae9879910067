#!/usr/bin/env bash
# Executes every notebook of notebooks/ headless, on a fresh sample lakehouse, and fails if any cell fails: the
# notebooks' test. No Maven: it needs target/learning-regions.jar (jobs/learning-regions builds it when missing) and
# runs notebooks/setup.sh first (idempotent: Jupyter, the Java kernel, its registration).
#   notebooks/run-all.sh             # new lakehouse target/notebooks-lakehouse; executed copies in target/notebooks/
#   notebooks/run-all.sh --reuse     # keep target/notebooks-lakehouse if it is there (saves the pipeline run)
#   notebooks/run-all.sh --refresh   # also write the executed notebooks over notebooks/*.ipynb (the stored outputs)
#   NOTEBOOKS_LAKEHOUSE=DIR notebooks/run-all.sh   # run on an existing sample lakehouse (dev/test passes its own)
# Exit code: 0 all notebooks ran, 1 a notebook failed (the failing cell and its error are printed), 2 usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernel=learning-regions-java
reuse=false
refresh=false
for arg in "$@"; do
  case "$arg" in
    --reuse) reuse=true ;;
    --refresh) refresh=true ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "notebooks/run-all.sh: unknown argument '$arg' (--reuse, --refresh)" >&2; exit 2 ;;
  esac
done

start=$(date +%s)
"$here/notebooks/setup.sh" >/dev/null

lakehouse="${NOTEBOOKS_LAKEHOUSE:-$here/target/notebooks-lakehouse}"
if [ -n "${NOTEBOOKS_LAKEHOUSE:-}" ]; then
  [ -d "$lakehouse/gold" ] || { echo "notebooks: no lakehouse at $lakehouse" >&2; exit 2; }
  echo "notebooks: using the sample lakehouse $lakehouse"
elif $reuse && [ -d "$lakehouse/gold" ]; then
  echo "notebooks: reusing target/notebooks-lakehouse"
else
  echo "notebooks: building the sample lakehouse target/notebooks-lakehouse (jobs/learning-regions pipeline)"
  rm -rf "$lakehouse" "$here/target/notebooks-reports" "$here/target/notebooks-sample"
  mkdir -p "$here/target"
  log="$here/target/notebooks-pipeline.log"
  if ! (cd "$here" && jobs/learning-regions pipeline -Dlakehouse=target/notebooks-lakehouse \
      -Dreports=target/notebooks-reports -Dinputs.dir=target/notebooks-sample) >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "notebooks: the pipeline failed (log: target/notebooks-pipeline.log)" >&2
    exit 1
  fi
fi

# This checkout's kernel spec (notebooks/.kernel) comes first, whatever another checkout registered for the user.
export JUPYTER_PATH="$here/notebooks/.kernel/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export LEARNING_REGIONS_LAKEHOUSE="$lakehouse"
out="$here/target/notebooks"
rm -rf "$out"
mkdir -p "$out"
failed=()
for nb in "$here"/notebooks/*.ipynb; do
  name="$(basename "$nb")"
  t0=$(date +%s)
  # nbconvert stops at the first cell that raises and exits 1 (no --allow-errors); the kernel starts in notebooks/.
  if /usr/bin/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name="$kernel" \
      --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=120 \
      --ExecutePreprocessor.record_timing=False --output-dir "$out" --log-level=WARN "$nb"; then
    echo "notebooks: $name ok ($(( $(date +%s) - t0 )) s)"
  else
    echo "notebooks: $name FAILED ($(( $(date +%s) - t0 )) s)" >&2
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "notebooks: ${#failed[@]} failed: ${failed[*]}" >&2
  exit 1
fi
if $refresh; then
  cp "$out"/*.ipynb "$here/notebooks/"
  echo "notebooks: stored outputs refreshed in notebooks/*.ipynb"
fi
echo "notebooks: all ran in $(( $(date +%s) - start )) s; executed copies in target/notebooks/"
