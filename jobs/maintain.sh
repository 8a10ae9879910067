#!/usr/bin/env bash
# spark-submit 'maintain' (Delta OPTIMIZE + VACUUM; see jobs/submit.sh for the environment). Run when nothing writes.
exec "$(dirname "${BASH_SOURCE[0]}")/submit.sh" maintain "$@"
