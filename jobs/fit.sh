#!/usr/bin/env bash
# spark-submit the 'fit' stage (see jobs/submit.sh for the environment it reads). Idempotent: safe to retry.
exec "$(dirname "${BASH_SOURCE[0]}")/submit.sh" fit "$@"
