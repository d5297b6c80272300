#!/usr/bin/env bash
# Records the expected output of every corpus script from the real `node` (see README.md for the version).
# Usage: ./record.sh [script...]   (run from this directory)
set -u
cd "$(dirname "$0")"
scripts=("$@"); [ ${#scripts[@]} -eq 0 ] && scripts=([0-9][0-9]-*.js [0-9][0-9]-*.mjs)
for f in "${scripts[@]}"; do
  base="${f%.*}"
  args=(); [ -f "$base.args" ] && read -r -a args < "$base.args"
  node "$f" "${args[@]}" > "$base.out" 2> "$base.stderr.tmp"
  echo $? > "$base.code"
  # stderr is recorded verbatim only when it holds no file paths or stack frames (those differ by design).
  # Warnings name the process id: it is recorded as (node:PID), and the test replaces ours the same way.
  if grep -qE '(^\s+at |/|Node\.js v)' "$base.stderr.tmp"; then rm -f "$base.err"; else
    if [ -s "$base.stderr.tmp" ]; then sed -E 's/\(node:[0-9]+\)/(node:PID)/g' "$base.stderr.tmp" > "$base.err"; else rm -f "$base.err"; fi
  fi
  rm -f "$base.stderr.tmp"
done
