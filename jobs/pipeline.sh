#!/usr/bin/env bash
# spark-submit the 'pipeline' stage (see jobs/submit.sh for the environment it reads). Idempotent: safe to retry.
exec "$(dirname "${BASH_SOURCE[0]}")/submit.sh" pipeline "$@"
