#!/usr/bin/env bash
# The e2e suite on a deliberately loaded CPU, as a user's CI often is: `npm run test:e2e:loaded`
# (arguments go to `playwright test`, e.g. a spec file).
#
# Starts E2E_BUSY busy-loop processes (default: one per core), runs `playwright test`, and kills
# the busy loops at the end whatever happens (pass, failure, Ctrl-C, kill). Every wait in the specs
# is a budget of the page's own progress (game ticks, decisions, transitions), so the suite must
# pass here as on a quiet machine, only slower. Prints the load average it ran under and the time
# it took; exits with Playwright's status.
set -u
cd "$(dirname "$0")/.."

busy=${E2E_BUSY:-$(nproc)}
pids=()
sampler=''
loads=$(mktemp)

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  wait 2>/dev/null
  rm -f "$loads"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in $(seq "$busy"); do
  # Each loop also ends when this script is gone, even killed with SIGKILL (no trap runs then).
  bash -c "while kill -0 $$ 2>/dev/null; do :; done" &
  pids+=("$!")
done
# The 1-minute load average every 15 s, for the summary.
( while :; do cut -d' ' -f1 /proc/loadavg >> "$loads"; sleep 15; done ) &
sampler=$!

echo "e2e under load: ${busy} busy loop(s) (pids ${pids[*]}) on $(nproc) cores"
start=$(date +%s)
npx playwright test "$@"
status=$?
took=$(( $(date +%s) - start ))
summary=$(sort -g "$loads" | awk '{ a[NR] = $1 } END { if (NR) printf "load average (1 min) median %s, max %s over %d samples", a[int((NR + 1) / 2)], a[NR], NR }')
echo "e2e under load: exit ${status} after ${took} s with ${busy} busy loop(s); ${summary}"
exit "$status"
