#!/usr/bin/env bash
# Records the expected output of every corpus script from the real `node` (see README.md for the version).
# Usage: ./record.sh [script...]   (run from this directory)
# Each script runs three times: if Node's stdout or exit code differ between runs, the script is nondeterministic
# (or timing-dependent on this machine) and does not belong in the corpus; nothing is recorded for it and the exit
# status is 1. Record on an idle machine: Node reads the clock anew for every setTimeout, so a loaded machine can
# reorder timers created a few milliseconds apart.
set -u
cd "$(dirname "$0")"
scripts=("$@"); [ ${#scripts[@]} -eq 0 ] && scripts=([0-9][0-9]-*.js [0-9][0-9]-*.mjs)
status=0
for f in "${scripts[@]}"; do
  base="${f%.*}"
  args=(); [ -f "$base.args" ] && read -r -a args < "$base.args"
  node "$f" "${args[@]}" > "$base.out.tmp" 2> "$base.stderr.tmp"
  code=$?
  same=1
  for run in 2 3; do
    node "$f" "${args[@]}" > "$base.again.tmp" 2> /dev/null
    again=$?
    if [ "$again" != "$code" ] || ! cmp -s "$base.out.tmp" "$base.again.tmp"; then same=0; fi
  done
  rm -f "$base.again.tmp"
  if [ "$same" = 0 ]; then
    echo "record.sh: $f gave different output or exit codes in three runs of node: not recorded" >&2
    rm -f "$base.out.tmp" "$base.stderr.tmp"
    status=1
    continue
  fi
  mv "$base.out.tmp" "$base.out"
  echo "$code" > "$base.code"
  # stderr is recorded verbatim only when it holds no file paths or stack frames (those differ by design).
  # Warnings name the process id: it is recorded as (node:PID), and the test replaces ours the same way.
  if grep -qE '(^\s+at |/|Node\.js v)' "$base.stderr.tmp"; then rm -f "$base.err"; else
    if [ -s "$base.stderr.tmp" ]; then sed -E 's/\(node:[0-9]+\)/(node:PID)/g' "$base.stderr.tmp" > "$base.err"; else rm -f "$base.err"; fi
  fi
  rm -f "$base.stderr.tmp"
done
exit $status
