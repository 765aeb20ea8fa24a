#!/usr/bin/env bash
# 'llm4perf run' with the llm4perf sampler's flags, shared with 'sample',
# against the scripted fake OpenAI server (tests/fake_llm_server.c):
# '--agent llm' asks the server for every role, 'show' names the llm
# agent, the same command resumes the same campaign, '--llm-cache record'
# then '--llm-cache replay --llm-store' measures the same configurations
# offline, '--role analyze=llm' asks for the analysis only, the default
# parameters keep the identity 'run' gave them before it took these
# flags, and the sampler's flags are usage errors with another sampler.
. "$(dirname "$0")/lib.sh"

fake_llm_only
spec="$SRC/tests/data/toy/toy.json"

# Answers per role (matched on the X-LLM4Perf-Role header), t5102's
cp "$SRC/tests/data/toy/llm-answers.json" script.json

# lrun DB FLAGS...: the main job, 14 = 7 + 7 (one iteration), 4 held out
lrun() {
  local db=$1; shift
  "$BIN" run "$spec" --budget 14 --holdout 4 --models xgboost --folds 3 \
    --db "$db" --set llm.model=fake --set llm.max_retries=0 "$@"
}

# --- every role by the llm agent, its exchanges recorded
start_server all.jsonl
run 0 lrun llm.db --agent llm --set "llm.base_url=$url" --llm-cache record
stop_server
expect_in out.txt '^run: toy, sampler llm4perf, budget 14, seed 1 -> llm\.db$'
expect_in out.txt '^campaign 1 \(llm4perf, seed 1\): 14 of 14 configurations measured'
expect_in out.txt '^campaign 2 \(random, seed 1000004\): 4 of 4 '
expect_in out.txt '^accuracy, 3-fold cross-validation on the 14 measured'
expect_in out.txt '^predicted Pareto-optimal configurations \(xgboost;'
for role in filter analyze design generate; do
  [ "$(requests all.jsonl $role)" -ge 1 ] || fail "the server was not asked to $role"
done
run 0 "$BIN" show llm.db --campaign 1
expect_in out.txt '^parameters: \{"agent":"llm",'
expect_in out.txt '^pruning \(agent llm\): 4 kept, 1 pruned$'
expect_in out.txt '^  prune +verbose +logging only$'
expect_in out.txt '^    time: level \(increase, 0\.80\)$'
run 0 "$BIN" export llm.db --campaign 1 -o ref.csv

# the same command, the server gone: the same campaigns, nothing new
run 0 lrun llm.db --agent llm --set "llm.base_url=$url" --llm-cache record
expect_in out.txt '^campaign 1 \(llm4perf, seed 1\): 14 of 14 '
run 0 "$BIN" export llm.db --list
[ "$(grep -c '^[0-9]' out.txt)" -eq 2 ] || fail "the rerun started a campaign"

# replay: the recorded answers, offline, into a fresh run database
run 0 lrun replay.db --agent llm --set "llm.base_url=http://127.0.0.1:9/v1" \
  --llm-cache replay --llm-store llm.db
expect_in out.txt '^campaign 1 \(llm4perf, seed 1\): 14 of 14 '
run 0 "$BIN" export replay.db --campaign 1 -o replay.csv
cmp replay.csv ref.csv || fail "the replayed run measured other configurations"

# --- only the analysis asked of the server; the builtin agent the rest
start_server analyze.jsonl
run 0 lrun mixed.db --role analyze=llm --set "llm.base_url=$url"
stop_server
expect_in out.txt '^campaign 1 \(llm4perf, seed 1\): 14 of 14 '
[ "$(requests analyze.jsonl analyze)" -eq 1 ] || fail "expected 1 analyze request"
for role in filter design generate; do
  [ "$(requests analyze.jsonl $role)" -eq 0 ] || fail "the server was asked to $role"
done
run 0 "$BIN" show mixed.db --campaign 1
expect_in out.txt '^parameters: \{"agent":"builtin",.*"roles":\{"analyze":"llm"\}'
expect_in out.txt '^pruning \(agent builtin\): '

# --- the defaults, spelled out or not, are the campaign 'run' made
# before it took these flags (parameters {}): older databases resume
run 0 "$BIN" run "$spec" --budget 14 --models xgboost --folds 3 --db plain.db
run 0 "$BIN" run "$spec" --budget 14 --models xgboost --folds 3 --db plain.db \
  --agent builtin --candidates 7 --generators 3 --voting agreement+distance
expect_in out.txt '^campaign 1 \(llm4perf, seed 1\): 14 of 14 '
run 0 "$BIN" show plain.db
expect_in out.txt '^parameters: \{\}$'

# --- the sampler's flags belong to llm4perf, as for 'sample'
run 2 "$BIN" run "$spec" --budget 14 --db x.db --sampler random --generators 3
one_line err.txt
expect_in err.txt '^llm4perf run: error: .*need --sampler llm4perf$'
run 2 "$BIN" run "$spec" --budget 14 --db x.db --sampler random \
  --llm-store llm.db
expect_in err.txt 'need --sampler llm4perf'
run 2 "$BIN" run "$spec" --budget 14 --db x.db --set llm.model=m
expect_in err.txt 'need --agent llm'
run 2 "$BIN" run "$spec" --budget 14 --db x.db --voting most
expect_in err.txt "--voting 'most': expected agreement\+distance"
[ ! -e x.db ] || fail "a refused run created x.db"
exit 0
