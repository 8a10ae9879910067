#!/usr/bin/env bash
# spark-submit the 'aggregate' stage (see jobs/submit.sh for the environment it reads). Idempotent: safe to retry.
exec "$(dirname "${BASH_SOURCE[0]}")/submit.sh" aggregate "$@"
