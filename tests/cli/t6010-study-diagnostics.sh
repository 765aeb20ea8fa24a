#!/usr/bin/env bash
# A study's diagnostics.csv (docs/STUDY.md): one row per llm4perf
# campaign in grid order (none for other samplers), the numbers of
# "llm4perf show" for that campaign, and the same bytes after the study
# is killed inside a campaign and resumed.
. "$(dirname "$0")/lib.sh"

toy="$SRC/tests/data/toy/toy.json"
cat > study.json <<EOF2
{
  "name": "t6010",
  "systems": [{"spec": "$toy"}],
  "budgets": [12, 20],
  "samplers": ["random", "llm4perf",
               {"name": "llm4perf", "label": "lp-none",
                "params": {"voting": "none"}}],
  "models": ["xgboost"],
  "repetitions": 2,
  "seed": 3
}
EOF2
study() { "$BIN" study study.json --out "$1" --jobs 2; }

run 0 study ref
expect_in out.txt 'scottknott.csv, diagnostics.csv$'
csv=ref/diagnostics.csv
[ -s "$csv" ] || fail "no diagnostics.csv"
head -1 "$csv" | grep -q '^system,budget,sampler,pruned,repetition,campaign,iterations,proposals,invalid,repaired,duplicates,mean_agreement,mean_agreed_share,mean_diversity,mean_novelty,stagnant_iterations,stagnation_warning,mean_coverage,filter_calls,filter_tokens,filter_retries,filter_latency_s,analyze_calls,' ||
  fail "diagnostics.csv: bad header"
# 2 budgets x 2 llm4perf treatments x 2 repetitions; random has none
[ "$(tail -n +2 "$csv" | wc -l)" -eq 8 ] || fail "diagnostics.csv: not 8 rows"
grep -q ',random,' "$csv" && fail "a row for random"
# budget 12: 7 initial + 5 -> 2 iterations; budget 20: 7 + 7 + 6 -> 3
awk -F, 'NR > 1 && (($2 == 12 && $7 != 2) || ($2 == 20 && $7 != 3)) {
  bad = 1 } END { exit bad }' "$csv" || fail "diagnostics.csv: iterations"
# voting none: agreement empty; agreement+distance: a number
awk -F, 'NR > 1 && (($3 == "lp-none") != ($12 == "")) { bad = 1 }
  END { exit bad }' "$csv" || fail "diagnostics.csv: agreement columns"
# every campaign: diversity and coverage in [0, 1], the builtin agent
# asked no LLM
awk -F, 'NR > 1 && ($14 == "" || $14 < 0 || $14 > 1 || $18 < 0 || $18 > 1 ||
  $19 != 0 || $31 != 0) { bad = 1 } END { exit bad }' "$csv" ||
  fail "diagnostics.csv: values out of range"
# the row of a campaign is what show computes for it
row=$(awk -F, 'NR == 2' "$csv")
id=$(echo "$row" | cut -d, -f6)
run 0 "$BIN" show ref/study.db --campaign "$id"
iters=$(echo "$row" | cut -d, -f7)
props=$(echo "$row" | cut -d, -f8)
expect_in out.txt "^diagnostics: $iters iterations, $props proposals "
printf -v cov '%.2f' "$(echo "$row" | cut -d, -f18)"
expect_in out.txt "^  mean coverage $cov over "

# killed inside a campaign, resumed: the same bytes
set +e
L4P_FAULT_KILL=batch:5 study killed >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "expected SIGKILL (137), got $rc"
run 0 study killed
cmp killed/diagnostics.csv "$csv" ||
  fail "diagnostics.csv differs after a kill and a resume"
cmp <(sort killed/cells.csv) <(sort ref/cells.csv) ||
  fail "cells.csv differs after a kill and a resume"
# rewritten from the database: a rerun gives the same file
run 0 study ref
cmp ref/diagnostics.csv killed/diagnostics.csv || fail "rerun changed it"
exit 0
