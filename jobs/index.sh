#!/usr/bin/env bash
# spark-submit the 'index' stage (see jobs/submit.sh for the environment it reads). Idempotent: safe to retry.
exec "$(dirname "${BASH_SOURCE[0]}")/submit.sh" index "$@"
