#!/usr/bin/env bash
# A sampling campaign killed with SIGKILL at the worst moments (right after
# storing a plan, right after storing a batch, and at a random time) resumes
# when the same command is rerun, ending with exactly the budget of
# distinct measured configurations and nothing measured twice.
. "$(dirname "$0")/lib.sh"

spec="$SRC/tests/data/toy/toy.json"
sample() { "$BIN" sample "$spec" --sampler random --budget 60 --batch 7 \
             --seed 3 --db "$1"; }

check_complete() { # db: 60 distinct rows, one campaign, done
  run 0 "$BIN" export "$1" -o "$1.csv"
  [ "$(tail -n +2 "$1.csv" | wc -l)" -eq 60 ] || fail "$1: not 60 rows"
  [ "$(tail -n +2 "$1.csv" | cut -d, -f1-5 | sort -u | wc -l)" -eq 60 ] ||
    fail "$1: duplicate configurations"
  run 0 "$BIN" export "$1" --list
  expect_in out.txt '^1 +toy +random +3 +60 +60 +0 +done$'
}

# reference run without interruption
run 0 sample ref.db
expect_in out.txt 'campaign 1: toy, sampler random, seed 3: 60 of 60'
check_complete ref.db

for fault in plan:1 batch:1 batch:4 batch:9; do
  db="killed-${fault/:/-}.db"
  set +e
  L4P_FAULT_KILL=$fault sample "$db" >/dev/null 2>&1
  rc=$?
  set -e
  [ "$rc" -eq 137 ] || fail "fault $fault: expected SIGKILL (137), got $rc"
  run 0 "$BIN" export "$db" --list
  expect_in out.txt 'unfinished$'
  run 0 sample "$db"
  check_complete "$db"
  # the resumed campaign measured the same configurations as the
  # reference (the plan survived the kill)
  if [ "$fault" = plan:1 ]; then
    cmp <(sort "$db.csv") <(sort ref.db.csv) || fail "plan not kept"
  fi
done

# a real kill from outside, at whatever moment it lands
"$BIN" sample "$spec" --sampler random --budget 250 --batch 1 --seed 5 \
  --db outside.db >/dev/null 2>&1 &
pid=$!
sleep 0.2
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
run 0 "$BIN" sample "$spec" --sampler random --budget 250 --batch 1 --seed 5 --db outside.db
run 0 "$BIN" export outside.db -o outside.csv
[ "$(tail -n +2 outside.csv | cut -d, -f1-5 | sort -u | wc -l)" -eq 250 ] ||
  fail "outside kill: not 250 distinct configurations"
