#!/usr/bin/env bash
# The llm4perf sampler with the llm agent against the scripted fake
# OpenAI server (tests/fake_llm_server.c): every role answered by the
# "model", malformed proposals counted and dropped or repaired, the
# campaign completes with its budget, "show" reports the LLM usage per
# role, and a campaign killed mid-iteration (after its votes, before its
# batch) resumes without asking the server anything it already answered:
# the resumed run's first request is the next iteration's analysis.
. "$(dirname "$0")/lib.sh"

[ -n "${L4P_FAKE_LLM:-}" ] || skip "L4P_FAKE_LLM is not set"
spec="$SRC/tests/data/toy/toy.json"

# Answers per role (tests/data/toy/llm-answers.json, matched on the
# X-LLM4Perf-Role header). The generate answer holds 9 valid
# configurations, one snapped into its domain (level 12), one breaking a
# constraint (repaired), a label not in the enum and an unknown option
# (both invalid).
cp "$SRC/tests/data/toy/llm-answers.json" script.json

sample() { # DB
  "$BIN" sample "$spec" --sampler llm4perf --budget 20 --db "$1" \
    --agent llm --set "llm.base_url=$url" --set llm.model=fake \
    --set llm.max_retries=0 --llm-cache record
}

start_server ref.jsonl
run 0 sample ref.db
expect_in out.txt 'campaign 1: toy, sampler llm4perf, seed 1: 20 of 20'
run 0 "$BIN" export ref.db -o ref.csv
[ "$(tail -n +2 ref.csv | sort -u | wc -l)" -eq 20 ] || fail "not 20 distinct rows"
run 0 "$BIN" show ref.db
cp out.txt ref.show
expect_in out.txt '"agent":"llm"'
expect_in out.txt '^pruning \(agent llm\): 4 kept, 1 pruned$'
expect_in out.txt '^  prune +verbose +logging only$'
expect_in out.txt '^    time: level \(increase, 0\.80\)$'
expect_in out.txt '^  strategy: explore 0\.50; focus level=\[1,2\] \(0\.60\)$'
expect_in out.txt '^  generator 0: 13 proposed, 9 valid as written, 2 repaired, 2 invalid'
expect_in out.txt '^     1\. agreement 3, distance '
expect_in out.txt 'uniform draws\)$'
expect_in out.txt '^llm usage:$'
for role in filter analyze design generate; do
  expect_in out.txt "^  $role +[1-9]"
done

# killed after iteration 1's votes: the rerun asks nothing already
# answered (filter, iteration 1's analysis, design and generators)
start_server killed.jsonl
set +e
L4P_FAULT_KILL=votes:2 sample killed.db >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "expected SIGKILL (137), got $rc"
stop_server
start_server resumed.jsonl
run 0 sample killed.db
stop_server
grep -q '"role":"filter"' resumed.jsonl && fail "the filter was asked again"
first=$(grep '^{"n":1,' resumed.jsonl)
case "$first" in
  *'"role":"analyze"'*) ;;
  *) fail "the resumed run first asked: ${first:0:200}" ;;
esac
run 0 "$BIN" export killed.db -o killed.csv
cmp killed.csv ref.csv || fail "the resumed campaign measured other rows"
run 0 "$BIN" show killed.db
sed '/^llm usage:/,$d' out.txt > killed.show.txt  # usage differs
sed '/^llm usage:/,$d' ref.show > ref.show.txt
diff killed.show.txt ref.show.txt >&2 || fail "the resumed campaign decided differently"

# replay: with the server gone, the run recorded in ref.db is reproduced
# exactly from its recorded answers, into a fresh run database
run 0 "$BIN" sample "$spec" --sampler llm4perf --budget 20 --db replay.db \
  --agent llm --set "llm.base_url=http://127.0.0.1:9/v1" --set llm.model=fake \
  --set llm.max_retries=0 --llm-cache replay --llm-store ref.db
run 0 "$BIN" export replay.db -o replay.csv
cmp replay.csv ref.csv || fail "the replayed campaign measured other rows"
run 0 "$BIN" show replay.db
sed '/^llm usage:/,$d' out.txt > replay.show.txt
diff -B replay.show.txt ref.show.txt >&2 || fail "the replay decided differently"
# --llm-store only makes sense for replay
run 2 "$BIN" sample "$spec" --sampler llm4perf --budget 20 --db x.db \
  --agent llm --llm-cache record --llm-store ref.db
expect_in err.txt "needs --llm-cache replay"
