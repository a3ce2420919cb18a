#!/bin/sh
# The boot check on a device: runs `seatlock-agent verify --json` once and leaves its verdict
# where the SDK host reads it, then exits with the agent's code (deploy/agent/README.md says
# what the host does for each). POSIX sh: runs under BusyBox ash, Android's mksh and dash.
#
#   $SEATLOCK_STATUS_DIR/verify.json   the verdict: {valid, code, status, message, license, match}
#   $SEATLOCK_STATUS_DIR/verify.code   the exit code alone
#
# Each is written beside its place and then renamed, so the host never reads half a file. With
# SEATLOCK_STATUS_PROPERTY set (Android), the code is also set as that system property.

node=${SEATLOCK_NODE:-node}
agent=${SEATLOCK_AGENT:-/opt/seatlock/seatlock-agent.js}
status_dir=${SEATLOCK_STATUS_DIR:-/run/seatlock}

mkdir -p "$status_dir" || exit 1
"$node" "$agent" verify --json >"$status_dir/verify.json.new" 2>"$status_dir/verify.err"
code=$?
echo "$code" >"$status_dir/verify.code.new"
mv -f "$status_dir/verify.json.new" "$status_dir/verify.json"
mv -f "$status_dir/verify.code.new" "$status_dir/verify.code"
if [ -n "${SEATLOCK_STATUS_PROPERTY:-}" ] && command -v setprop >/dev/null 2>&1; then
  setprop "$SEATLOCK_STATUS_PROPERTY" "$code"
fi
echo "seatlock: boot check exited $code" >&2
exit "$code"
