# shellcheck shell=sh
# bootstrap.sh: print this Redis pod's role decision on stdout:
#   master
#   replica HOST PORT
# Sources, in order: live Sentinels, the kept sentinel.conf, the master this pod
# last saw, and only when none exists the first-start rule (pod 0 is master).
# Logs go to stderr. Exit 0 with a decision, non-zero only on an unexpected error.
set -eu
LOG_TAG=bootstrap
# shellcheck source-path=SCRIPTDIR source=common.sh
. "${SCRIPTS_DIR:-/scripts}/common.sh"

bootstrap_decide
