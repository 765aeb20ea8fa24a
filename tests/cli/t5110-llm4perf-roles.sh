#!/usr/bin/env bash
# Per-role agents against the scripted fake OpenAI server
# (tests/fake_llm_server.c): 'sample --role analyze=llm --role
# design=llm' asks the server for analyze and design only (each with its
# own model), the builtin agent filters and generates, and 'show' says
# who played what; bad --role values are usage errors; a study with two
# labelled llm4perf variants (builtin, and mixed with its LLM settings in
# its params) completes with each variant its own treatment, and a bad
# setting in a study's params is reported at its place.
. "$(dirname "$0")/lib.sh"

fake_llm_only
spec="$SRC/tests/data/toy/toy.json"

# Only analyze and design are scripted: a filter or generate request
# would get a 500 and show in the log.
cat > script.json <<'EOF'
[{"match": "X-LLM4Perf-Role: analyze", "repeat": true, "content":
  "{\"objectives\":[{\"name\":\"time\",\"influences\":[{\"option\":\"level\",\"direction\":\"increase\",\"strength\":0.8,\"best\":1}]}],\"interactions\":[],\"correlations\":[],\"pareto\":[],\"gaps\":[],\"summary\":\"level drives time\"}"},
 {"match": "X-LLM4Perf-Role: design", "repeat": true, "content":
  "{\"explore\":0.5,\"focus\":[{\"option\":\"level\",\"values\":[1,2],\"weight\":0.6}],\"avoid\":[],\"rationale\":\"low levels are fast\"}"}]
EOF

# models LOG ROLE: the distinct models sent with ROLE's requests
models() {
  grep "\"role\":\"$2\"" "$1" | grep -o '\\"model\\":\\"[^\\]*' |
    sed 's/.*"//' | sort -u | tr '\n' ' '
}

# --- sample: analyze and design by the llm agent, 20 = 7 + 7 + 6
start_server sample.jsonl
run 0 "$BIN" sample "$spec" --sampler llm4perf --budget 20 --db mixed.db \
  --role analyze=llm --role design=llm --set "llm.base_url=$url" \
  --set llm.model=light --set llm.analyze.model=strong \
  --set llm.max_retries=0
stop_server
expect_in out.txt 'campaign 1: toy, sampler llm4perf, seed 1: 20 of 20'
[ "$(requests sample.jsonl analyze)" -eq 2 ] || fail "expected 2 analyze requests"
[ "$(requests sample.jsonl design)" -eq 2 ] || fail "expected 2 design requests"
for role in filter generate extract; do
  [ "$(requests sample.jsonl $role)" -eq 0 ] || fail "the server was asked to $role"
done
[ "$(models sample.jsonl analyze)" = "strong " ] || fail "analyze model: $(models sample.jsonl analyze)"
[ "$(models sample.jsonl design)" = "light " ] || fail "design model: $(models sample.jsonl design)"
run 0 "$BIN" show mixed.db
expect_in out.txt '^parameters: \{"agent":"builtin",.*"roles":\{"analyze":"llm","design":"llm"\}'
expect_in out.txt '^pruning \(agent builtin\): '
expect_in out.txt '^    time: level \(increase, 0\.80\)$'
run 0 "$BIN" show mixed.db --json
expect_in out.txt '"agents": \{'
expect_in out.txt '"generate": "builtin"'
# the same flags resume the same campaign; other roles are another one
run 0 "$BIN" sample "$spec" --sampler llm4perf --budget 20 --db mixed.db \
  --role design=llm --role analyze=llm --set "llm.base_url=$url"
expect_in out.txt '^campaign 1: '

# --- bad --role values: usage errors naming the problem
run 2 "$BIN" sample "$spec" --sampler llm4perf --budget 5 --db x.db \
  --role analyze=lmm
expect_in err.txt "roles.analyze: unknown agent 'lmm' \(known: builtin, llm\)"
one_line err.txt
run 2 "$BIN" sample "$spec" --sampler llm4perf --budget 5 --db x.db \
  --role analyse=llm
expect_in err.txt "roles.analyse: unknown role \(known: filter, analyze, design, generate\)"
run 2 "$BIN" sample "$spec" --sampler llm4perf --budget 5 --db x.db \
  --role analyze
expect_in err.txt "--role 'analyze': expected ROLE=AGENT"
run 2 "$BIN" sample "$spec" --sampler random --budget 5 --db x.db \
  --role analyze=llm
expect_in err.txt "need --sampler llm4perf"
run 2 "$BIN" sample "$spec" --sampler llm4perf --budget 5 --db x.db \
  --set llm.model=m
expect_in err.txt "need --agent llm"
[ ! -e x.db ] || fail "a failed command created x.db"

# --- a study: the builtin variant and the mixed one, its LLM settings
# (endpoint, models) in its params
start_server study.jsonl
cat > study.json <<EOF
{
  "name": "t5110",
  "systems": [{"spec": "$spec"}],
  "budgets": [14],
  "samplers": [
    {"name": "llm4perf", "label": "lp-builtin"},
    {"name": "llm4perf", "label": "lp-mixed", "params": {
      "roles": {"analyze": "llm", "design": "llm"},
      "llm": {"base_url": "$url", "model": "light",
              "analyze.model": "strong", "max_retries": 0}}}
  ],
  "models": ["xgboost"],
  "repetitions": 2,
  "seed": 5
}
EOF
run 0 "$BIN" study study.json --out out --jobs 2
stop_server
expect_in out.txt '^study study.json: 4 samples, 8 cells -> out/cells.csv'
[ "$(tail -n +2 out/cells.csv | wc -l)" -eq 8 ] || fail "cells.csv: not 8 rows"
for label in lp-builtin lp-mixed; do
  [ "$(tail -n +2 out/cells.csv | cut -d, -f5 | grep -cx "$label")" -eq 4 ] ||
    fail "cells.csv: not 4 rows of $label"
done
# budget 14 = 7 + 7: one iteration per mixed repetition, none for builtin
[ "$(requests study.jsonl analyze)" -eq 2 ] || fail "study: expected 2 analyze requests"
[ "$(requests study.jsonl design)" -eq 2 ] || fail "study: expected 2 design requests"
for role in filter generate; do
  [ "$(requests study.jsonl $role)" -eq 0 ] || fail "study: the server was asked to $role"
done
[ "$(models study.jsonl analyze)" = "strong " ] || fail "study: analyze model"
[ "$(models study.jsonl design)" = "light " ] || fail "study: design model"
expect_in out/samples.csv 'lp-mixed,llm4perf,.*""roles"":\{""analyze"":""llm""'

# a bad setting in a study's params: one line, at its place (a bad
# study file fails with 1, as in t6001)
sed 's/"analyze.model"/"analyze.modle"/' study.json > bad.json
run 1 "$BIN" study bad.json --out bad
one_line err.txt
expect_in err.txt '^llm4perf: error: bad\.json:[0-9]+:[0-9]+: .*llm\.analyze\.modle: unknown setting'
sed 's/"max_retries": 0/"api_key": "sk-SECRET-9"/' study.json > secret.json
run 1 "$BIN" study secret.json --out secret
expect_in err.txt 'llm\.api_key: secrets are never parameters'
grep -q 'sk-SECRET-9' err.txt && fail "the error quotes the key"
[ ! -e secret/study.db ] || fail "a refused study stored something"
exit 0
