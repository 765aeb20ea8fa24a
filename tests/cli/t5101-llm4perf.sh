#!/usr/bin/env bash
# The llm4perf sampler with the builtin agent, end to end: a campaign on
# the toy system and on lrzip measures exactly its budget of distinct
# configurations, "llm4perf show" prints the pruning decisions and every
# iteration, the switches and sizes given on the command line reach the
# campaign, and a campaign SIGKILLed at the worst moments (right after a
# stored plan, a stored batch, and mid-iteration after the votes) resumes
# to the same result: the same rows and the same artefacts, none twice.
. "$(dirname "$0")/lib.sh"

check_complete() { # db budget
  run 0 "$BIN" export "$1" -o "$1.csv"
  [ "$(tail -n +2 "$1.csv" | wc -l)" -eq "$2" ] || fail "$1: not $2 rows"
  [ "$(tail -n +2 "$1.csv" | sort -u | wc -l)" -eq "$2" ] ||
    fail "$1: duplicate configurations"
  run 0 "$BIN" export "$1" --list
  expect_in out.txt ' llm4perf .* done$'
  if command -v sqlite3 >/dev/null; then
    dups=$(sqlite3 "$1" "SELECT count(*) FROM (SELECT 1 FROM artifact
           GROUP BY campaign, iteration, kind, ifnull(generator, -1)
           HAVING count(*) > 1)")
    [ "$dups" -eq 0 ] || fail "$1: duplicated artefacts"
  fi
}

# check SPEC BUDGET NAME: a reference run, its show, then killed runs
check() {
  local spec=$1 budget=$2 name=$3
  sample() { "$BIN" sample "$spec" --sampler llm4perf --budget "$budget" \
               --db "$1"; }
  run 0 sample "$name-ref.db"
  expect_in out.txt "campaign 1: $name, sampler llm4perf, seed 1: $budget of $budget"
  check_complete "$name-ref.db" "$budget"
  run 0 "$BIN" show "$name-ref.db"
  cp out.txt "$name-ref.show"
  expect_in out.txt "^campaign 1: $name, sampler llm4perf, seed 1, budget $budget: $budget measured, 0 failed, done$"
  expect_in out.txt '^parameters: \{"agent":"builtin","candidates":7,'
  expect_in out.txt '^pruning \(agent builtin\): [0-9]+ kept, [0-9]+ pruned$'
  expect_in out.txt '^iteration 0 \(initial batch\)$'
  expect_in out.txt '^  choice \(spread\): [0-9]+ proposals'
  expect_in out.txt '^iteration 3$'
  expect_in out.txt '^  analysis:$'
  expect_in out.txt '^  strategy: explore 0\.[0-9]+'
  expect_in out.txt '^  generator 2: 7 proposed, '
  expect_in out.txt '^  votes \(agreement\+distance\): 21 proposals, '
  expect_in out.txt '^     1\. agreement [1-3], distance '
  expect_in out.txt '^  batch: 7 \('
  for fault in plan:2 batch:2 votes:3; do
    db="$name-${fault/:/-}.db"
    set +e
    L4P_FAULT_KILL=$fault sample "$db" >/dev/null 2>&1
    rc=$?
    set -e
    [ "$rc" -eq 137 ] || fail "$name $fault: expected SIGKILL (137), got $rc"
    run 0 sample "$db"
    check_complete "$db" "$budget"
    cmp "$db.csv" "$name-ref.db.csv" || fail "$name $fault: other rows"
    run 0 "$BIN" show "$db"
    diff out.txt "$name-ref.show" >&2 ||
      fail "$name $fault: the resumed campaign decided differently"
  done
}

check "$SRC/tests/data/toy/toy.json" 40 toy
expect_in toy-ref.show '^  prune +verbose +logging'
check "$SRC/data/lrzip/lrzip.json" 60 lrzip

# the switches are parameters of the campaign, shown by show
run 0 "$BIN" sample "$SRC/tests/data/toy/toy.json" --sampler llm4perf \
  --budget 20 --db sw.db --no-feedback --voting none --no-prune \
  --candidates 5 --initial 6
run 0 "$BIN" show sw.db
expect_in out.txt '"candidates":5,"feedback":false,"generators":1,"initial":6,"prune":false,"voting":"none"'
expect_in out.txt '^  choice \(order\): 6 proposals'
expect_in out.txt '^  strategy source: kept from the first analysis'
grep -q '^pruning' out.txt && fail "pruned with --no-prune"
grep -q '^  generator 1' out.txt && fail "several generators with --voting none"
run 0 "$BIN" show sw.db --json
expect_in out.txt '"kind": "proposals"'
expect_in out.txt '"peak_concurrent"'
# generators and candidates: 4 generators each round, batches of 6
# (budget 20: 6 + 6 + 6 + 2, the initial batch max(6, 20 / 10))
run 0 "$BIN" sample "$SRC/tests/data/toy/toy.json" --sampler llm4perf \
  --budget 20 --db g4.db --generators 4 --candidates 6
run 0 "$BIN" show g4.db
expect_in out.txt '"candidates":6,"feedback":true,"generators":4,"initial":6,'
[ "$(grep -c '^  generator 3: ' out.txt)" -eq 4 ] || fail "not 4 generators"
grep -q '^  generator 4' out.txt && fail "a fifth generator"
expect_in out.txt '^  votes \(agreement\+distance\): 24 proposals, '
[ "$(grep -c '^  batch: 6 ' out.txt)" -eq 3 ] || fail "not 3 batches of 6"
expect_in out.txt '^  batch: 2 '

# usage errors
run 2 "$BIN" sample "$SRC/tests/data/toy/toy.json" --sampler random \
  --budget 5 --db u.db --candidates 3
expect_in err.txt 'need --sampler llm4perf'
run 2 "$BIN" sample "$SRC/tests/data/toy/toy.json" --sampler llm4perf \
  --budget 5 --db u.db --voting most
expect_in err.txt "--voting 'most'"
run 2 "$BIN" sample "$SRC/tests/data/toy/toy.json" --sampler llm4perf \
  --budget 5 --db u.db --agent nosuch
expect_in err.txt "unknown agent 'nosuch'"
run 1 "$BIN" show nosuch.db
expect_in err.txt "cannot open 'nosuch.db'"
run 0 "$BIN" sample "$SRC/tests/data/toy/toy.json" --sampler random \
  --budget 5 --db toy-ref.db
run 2 "$BIN" show toy-ref.db
expect_in err.txt 'holds 2 campaigns'
run 0 "$BIN" show toy-ref.db --campaign 2
expect_in out.txt 'no llm4perf artefacts'
