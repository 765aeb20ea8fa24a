#!/usr/bin/env bash
# Studies: a small grid run with --jobs 2 gives one cells.csv row per
# cell and consistent summaries; a study killed at any moment (inside a
# campaign, right after a stored unit, or from outside) and run again ends
# with the same cells.csv as an uninterrupted run; DeepPerf is searched
# once per scenario; bad study files fail with one line naming the place.
. "$(dirname "$0")/lib.sh"

toy="$SRC/tests/data/toy/toy.json"
lrzip="$SRC/data/lrzip/lrzip.json"

# 2 systems x 2 budgets x 5 treatments x 3 repetitions = 60 samples;
# cells: toy 30 x 2 objectives + lrzip 30 x 1 objective = 90
cat > study.json <<EOF
{
  "name": "t6001",
  "systems": [
    {"spec": "$toy"},
    {"spec": "$lrzip", "objectives": ["Performance"]}
  ],
  "budgets": [12, 20],
  "samplers": ["random", "lhs", "twise", "flash"],
  "pruning": {"agent": "builtin", "samplers": ["random"]},
  "models": ["xgboost"],
  "repetitions": 3,
  "seed": 7
}
EOF
study() { "$BIN" study study.json --out "$1" --jobs 2; }

run 0 study ref
expect_in out.txt '^study study.json: 60 samples, 90 cells -> ref/cells.csv'
expect_in err.txt '^90/90 cells \(100%\)'
for f in cells.csv samples.csv summary.md summary.json scottknott.csv \
         study.db prune/toy.json prune/lrzip.json; do
  [ -s "ref/$f" ] || fail "ref/$f missing or empty"
done
[ "$(tail -n +2 ref/cells.csv | wc -l)" -eq 90 ] || fail "cells.csv: not 90 rows"
[ "$(tail -n +2 ref/samples.csv | wc -l)" -eq 60 ] || fail "samples.csv: not 60 rows"
# no two rows with the same key (system, objective, budget, sampler,
# pruned, repetition, model)
[ "$(tail -n +2 ref/cells.csv | cut -d, -f1,3-8 | sort -u | wc -l)" -eq 90 ] ||
  fail "cells.csv: repeated keys"
# every metric present: rmse, nrmse, mre, hv_ratio
awk -F, 'NR > 1 && ($14 == "" || $15 == "" || $16 == "" || $17 == "") {
  bad = 1 } END { exit bad }' ref/cells.csv || fail "cells.csv: empty metric"
expect_in ref/summary.md '^### Best in X of Y scenarios'
expect_in ref/summary.md '^\| random \| [0-9]+ of 6 \|'
expect_in ref/summary.json '"baseline": "random"'

# each scenario has exactly one rank-1 group, ranks numbered without gaps
awk -F, 'NR > 1 && $13 != "" {
  k = $1 FS $2 FS $4 FS $5 FS $6
  if ($13 == 1) one[k]++
  if ($13 > max[k]) max[k] = $13
  seen[k, $13] = 1; keys[k] = 1
} END {
  for (k in keys) {
    if (!one[k]) { print "no rank 1 in " k; bad = 1 }
    for (r = 1; r <= max[k]; r++)
      if (!seen[k, r]) { print "rank " r " missing in " k; bad = 1 }
  }
  exit bad
}' ref/scottknott.csv || fail "scottknott.csv: bad ranks"
# "best in X of Y": the Xs add up to at least Y (ties count for each)
scenarios=$(awk -F, 'NR > 1 && $1 == "mre" { print $2, $4, $5, $6 }' \
              ref/scottknott.csv | sort -u | wc -l)
[ "$scenarios" -eq 6 ] || fail "expected 6 error scenarios, got $scenarios"
best=$(awk -F, 'NR > 1 && $1 == "mre" && $15 == "yes"' ref/scottknott.csv | wc -l)
[ "$best" -ge "$scenarios" ] || fail "best counts add up to $best < $scenarios"
sum=$(sed -n '/^### Best in X of Y scenarios/,/^###/p' ref/summary.md |
      awk -F'|' '$3 ~ / of 6 / { split($3, a, " "); s += a[1] } END { print s + 0 }')
[ "$sum" -eq "$best" ] || fail "summary.md counts $sum, scottknott.csv $best"

# rerunning a finished study computes nothing and changes nothing
cp ref/cells.csv ref-cells.csv
run 0 study ref
expect_in err.txt '^90/90 cells \(100%\), 0s elapsed'
cmp ref/cells.csv ref-cells.csv || fail "rerun changed cells.csv"

# killed inside a campaign, right after stored units, and from outside
for fault in batch:9 unit:7 unit:40; do
  dir="killed-${fault/:/-}"
  set +e
  L4P_FAULT_KILL=$fault study "$dir" >/dev/null 2>&1
  rc=$?
  set -e
  [ "$rc" -eq 137 ] || fail "fault $fault: expected SIGKILL (137), got $rc"
  run 0 study "$dir"
  cmp <(sort "$dir/cells.csv") <(sort ref/cells.csv) ||
    fail "fault $fault: cells.csv differs from the uninterrupted run"
done
"$BIN" study study.json --out outside --jobs 2 >/dev/null 2>&1 &
pid=$!
sleep 2
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
run 0 study outside
cmp <(sort outside/cells.csv) <(sort ref/cells.csv) ||
  fail "outside kill: cells.csv differs from the uninterrupted run"

# DeepPerf: one search per scenario (2 objectives x 1 budget), reused
cat > dp.json <<EOF
{"systems": ["$toy"], "budgets": [10], "samplers": ["random"],
 "models": [{"name": "deepperf", "profile": "fast"}], "repetitions": 2}
EOF
run 0 "$BIN" study dp.json --out dp --jobs 2
expect_in err.txt '^2/2 DeepPerf searches'
[ "$(tail -n +2 dp/cells.csv | wc -l)" -eq 4 ] || fail "dp: not 4 cells"
expect_in dp/summary.md 'DeepPerf: hyper-parameters searched once per scenario'
expect_in dp/summary.json '"searches": 2'

# "search": "sample": no shared search, each fit searches on its own
# training sample, so its cells differ from those of the shared search
cat > dps.json <<EOF
{"systems": [{"spec": "$toy", "objectives": ["time"]}], "budgets": [10],
 "samplers": ["random"], "repetitions": 2,
 "models": [{"name": "deepperf", "label": "dp-own", "search": "sample"}]}
EOF
run 0 "$BIN" study dps.json --out dps --jobs 2
grep -q 'DeepPerf searches' err.txt && fail "dps: a shared search ran"
[ "$(sqlite3 dps/study.db 'select count(*) from study_hyper')" = 0 ] ||
  fail "dps: study_hyper rows"
[ "$(grep -c ',dp-own,' dps/cells.csv)" -eq 2 ] || fail "dps: not 2 cells"
expect_in dps/summary.md 'searched on each training sample'
expect_in dps/summary.json '\\"search\\":\\"sample\\"'
shared=$(awk -F, '$3 == "time" {print $16}' dp/cells.csv | sort)
own=$(awk -F, '$3 == "time" {print $16}' dps/cells.csv | sort)
[ "$shared" != "$own" ] || fail "dps: same errors as the shared search"
cat > dpbad.json <<EOF
{"systems": ["$toy"], "budgets": [10], "samplers": ["random"],
 "models": [{"name": "xgboost", "search": "sample"}]}
EOF
run 1 "$BIN" study dpbad.json --out dpbad
one_line err.txt
expect_in err.txt "dpbad.json:2:[0-9]+: 'search' is a DeepPerf setting"

# bad study files: one line naming the place, exit 1
cat > bad1.json <<EOF
{"systems": ["$toy"], "budgets": [12],
 "samplers": ["random", "nosuch"]}
EOF
run 1 "$BIN" study bad1.json --out bad
one_line err.txt
expect_in err.txt "^llm4perf: error: bad1.json:2:25: unknown sampler 'nosuch'"
cat > bad2.json <<EOF
{"systems": ["$toy", "missing/system.json"], "budgets": [12],
 "samplers": ["random"]}
EOF
run 1 "$BIN" study bad2.json --out bad
one_line err.txt
expect_in err.txt "^llm4perf: error: bad2.json:1:[0-9]+: cannot read system file '.*missing/system.json'"
cat > bad3.json <<EOF
{"systems": ["$toy"],
 "budgets": [12, 5000],
 "samplers": ["random"]}
EOF
run 1 "$BIN" study bad3.json --out bad
one_line err.txt
expect_in err.txt "^llm4perf: error: bad3.json:2:18: budget 5000 is not smaller than the table of system 'toy' \(300 configurations\)"
[ ! -e bad ] || fail "a bad study file created its output directory"
run 2 "$BIN" study study.json
expect_in err.txt 'expected STUDY.json and --out DIR'
run 1 "$BIN" study study.json --out x --models deepperf
expect_in err.txt "has no model 'deepperf'"
