#!/usr/bin/env bash
# The distance-based (dds, ddiv) and sequential (flash, nsga3) samplers
# run whole campaigns through the CLI: 30 distinct measured rows each, and
# a campaign SIGKILLed after its second stored batch resumes, when rerun,
# to exactly the rows an uninterrupted campaign measures (their proposals
# depend only on the seed and the stored history).
. "$(dirname "$0")/lib.sh"

spec="$SRC/tests/data/toy/toy.json"
sample() { # sampler db
  "$BIN" sample "$spec" --sampler "$1" --budget 30 --batch 5 --seed 3 \
    --db "$2"
}

check_complete() { # sampler db: 30 distinct rows, one finished campaign
  run 0 "$BIN" export "$2" -o "$2.csv"
  [ "$(tail -n +2 "$2.csv" | wc -l)" -eq 30 ] || fail "$2: not 30 rows"
  [ "$(tail -n +2 "$2.csv" | cut -d, -f1-5 | sort -u | wc -l)" -eq 30 ] ||
    fail "$2: duplicate configurations"
  run 0 "$BIN" export "$2" --list
  expect_in out.txt "^1 +toy +$1 +3 +30 +30 +0 +done$"
}

for s in dds ddiv flash nsga3; do
  run 0 sample "$s" "$s-ref.db"
  expect_in out.txt "campaign 1: toy, sampler $s, seed 3: 30 of 30"
  check_complete "$s" "$s-ref.db"

  set +e
  L4P_FAULT_KILL=batch:2 sample "$s" "$s-killed.db" >/dev/null 2>&1
  rc=$?
  set -e
  [ "$rc" -eq 137 ] || fail "$s: expected SIGKILL (137), got $rc"
  run 0 "$BIN" export "$s-killed.db" --list
  expect_in out.txt 'unfinished$'
  run 0 sample "$s" "$s-killed.db"
  check_complete "$s" "$s-killed.db"
  cmp <(sort "$s-killed.db.csv") <(sort "$s-ref.db.csv") ||
    fail "$s: the resumed campaign measured other configurations"
done

# another seed gives another sample
run 0 "$BIN" sample "$spec" --sampler nsga3 --budget 30 --batch 5 --seed 4 \
  --db other.db
run 0 "$BIN" export other.db -o other.csv
cmp -s <(sort other.csv) <(sort nsga3-ref.db.csv) &&
  fail "seeds 3 and 4 gave the same nsga3 sample"
exit 0
