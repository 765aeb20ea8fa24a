#!/usr/bin/env bash
# llm4perf run on a real program: examples/zstd.json end to end (setup
# makes a 1 MB corpus, 8 configurations measured with warm-up and 3 to 5
# repetitions each, a held-out set of 3, the models' accuracy and the
# predicted Pareto front), what the database holds, and a resumed rerun
# that measures nothing again. Needs zstd (Debian package zstd).
. "$(dirname "$0")/lib.sh"

command -v zstd >/dev/null || skip "zstd is not installed"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
SPEC="$SRC/examples/zstd.json"
# xgboost only: DeepPerf's search takes minutes under the sanitizers
ARGS=(--budget 8 --sampler random --db r.db --holdout 3 --models xgboost)

run 0 "$BIN" run "$SPEC" "${ARGS[@]}"
expect_in out.txt '^run: zstd, sampler random, budget 8, seed 1 -> r\.db$'
expect_in err.txt '^llm4perf: setup 1: .*gen-input text --size 1000000 '
expect_in out.txt '^campaign 1 \(random, seed 1\): 8 of 8 configurations measured, 0 failed$'
expect_in out.txt '^campaign 2 \(random, seed 1000004\): 3 of 3 configurations measured'
expect_in out.txt '^noise .*: time [0-9.]+ %, ratio 0\.00 %, memory [0-9.]+ %$'
expect_in out.txt '^accuracy, 5-fold cross-validation on the 8 measured configurations:$'
for objective in time ratio memory; do
  expect_in out.txt "^  $objective +xgboost +[0-9]+\.[0-9]{2} +[0-9.e+-]+$"
done
expect_in out.txt '^accuracy on the [0-3] held-out configurations not in the sample \(of 3 measured at random\):$'
expect_in out.txt '^predicted Pareto-optimal configurations \(xgboost; [0-9]+ of [0-9]+ valid configurations\):$'
expect_in out.txt '^      level=[0-9]+ threads=[124] long=[01] check=[01] rsyncable=[01] single_thread=[01]$'

# the inputs were made once, the runs' scratch directories are gone
[ "$(stat -c %s r.work/inputs/corpus.txt)" -eq 1000000 ] || fail "corpus size"
[ -z "$(ls -A r.work/runs)" ] || fail "run directories left behind"

# every repetition is a row: 3 to 5 per configuration and objective
q() { sqlite3 r.db "$1"; }
[ "$(q "SELECT count(*) FROM configuration WHERE campaign = 1 AND state = 'measured'")" -eq 8 ] ||
  fail "8 measured configurations expected"
reps=$(q "SELECT min(n) || ' ' || max(n) FROM (SELECT count(*) n FROM measurement m
          JOIN configuration c ON c.id = m.configuration WHERE c.campaign = 1
          GROUP BY m.configuration, m.objective)")
read -r lo hi <<<"$reps"
[ "$lo" -ge 3 ] && [ "$hi" -le 5 ] || fail "repetitions per value: $reps"
# zstd on the generated text: ratio between 2 and 4, the same every time;
# memory between 1 and 500 MiB; times positive and under the timeout
q "SELECT min(value), max(value) FROM measurement WHERE objective = 'ratio'" |
  awk -F'|' '{ exit !($1 > 2 && $2 < 4) }' || fail "ratio out of range"
q "SELECT count(DISTINCT value) FROM measurement WHERE objective = 'ratio'
   GROUP BY configuration" | grep -qv '^1$' && fail "ratio varies across repetitions"
q "SELECT min(value), max(value) FROM measurement WHERE objective = 'memory'" |
  awk -F'|' '{ exit !($1 > 1 && $2 < 500) }' || fail "memory out of range"
q "SELECT min(value), max(value) FROM measurement WHERE objective = 'time'" |
  awk -F'|' '{ exit !($1 > 0 && $2 < 60) }' || fail "time out of range"

# the same command again resumes: nothing measured twice, setup skipped
rows=$(q "SELECT count(*) FROM measurement")
run 0 "$BIN" run "$SPEC" "${ARGS[@]}"
[ "$(q "SELECT count(*) FROM measurement")" -eq "$rows" ] || fail "measured again"
if grep -q 'setup 1' err.txt; then fail "setup ran again"; fi
expect_in out.txt '8 of 8 configurations measured'

# the sample exports like any other (medians of the repetitions)
run 0 "$BIN" export r.db --campaign 1 -o sample.csv
[ "$(head -1 sample.csv)" = "level,threads,long,check,rsyncable,single_thread,time,ratio,memory" ] ||
  fail "header: $(head -1 sample.csv)"
[ "$(wc -l < sample.csv)" -eq 9 ] || fail "sample.csv should have 9 lines"
