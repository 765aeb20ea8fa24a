#!/usr/bin/env bash
# The llm agent from the command line, against the scripted fake server:
# "prune --agent llm" and "docs --agent llm" with --set, --llm-config and
# --llm-cache; the key (from the environment) reaches the server and
# nothing else; record then replay with the server gone gives the same
# decisions; bad LLM flags are usage errors.
. "$(dirname "$0")/lib.sh"

FAKE=${L4P_FAKE_LLM:-}
[ -n "$FAKE" ] && [ -x "$FAKE" ] || skip "L4P_FAKE_LLM not built"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*'
unset L4P_LLM_CONFIG L4P_LLM_CACHE L4P_PROMPTS_DIR OPENAI_BASE_URL L4P_LLM_MODEL
export OPENAI_API_KEY=sk-cli-SECRET-5150
TOY="$SRC/tests/data/toy/toy.json"

# start_fake SCRIPT: run the fake server; sets PORT, FAKE_PID, LOG
start_fake() {
  rm -f port log.jsonl
  "$FAKE" --script "$1" --port-file port --log log.jsonl \
    --idle-timeout 30 --max-seconds 120 >/dev/null &
  FAKE_PID=$!
  for _ in $(seq 200); do [ -s port ] && break; sleep 0.05; done
  [ -s port ] || fail "fake server did not start"
  PORT=$(cat port)
  URL="http://127.0.0.1:$PORT/v1"
}
stop_fake() { kill "$FAKE_PID" 2>/dev/null || true; wait "$FAKE_PID" 2>/dev/null || true; }
trap 'stop_fake; rm -rf "$WORK"' EXIT

FAST=(--set llm.model=fake --set llm.max_retries=2 --set llm.backoff_s=0.05)

# ---- prune: one invented option, one left out, fenced; a 500 first
cat > prune.json <<'JSON'
[{"match": "X-LLM4Perf-Role: filter", "status": 500, "error": "warming up"},
 {"match": "X-LLM4Perf-Role: filter", "content": "```json\n{\"decisions\": [{\"option\": \"verbose\", \"keep\": false, \"reason\": \"only prints progress\"}, {\"option\": \"turbo\", \"keep\": false, \"reason\": \"invented\"}, {\"option\": \"level\", \"keep\": true, \"reason\": \"compression effort\"}, {\"option\": \"mode\", \"keep\": true, \"reason\": \"match finder\"}, {\"option\": \"threads\", \"keep\": true, \"reason\": \"parallel work\"}]}\n```"}]
JSON
start_fake prune.json
run 0 "$BIN" prune "$TOY" -o decisions.json --agent llm "${FAST[@]}" \
  --set "llm.base_url=$URL" --llm-cache record --db run.db
expect_in out.txt '^prune +verbose +only prints progress$'
expect_in out.txt '^keep +checksum'
expect_in out.txt '^4 kept, 1 pruned -> decisions.json$'
expect_in err.txt 'named 1 unknown options, decided 0 twice and left 1 out'
grep -q '"agent": "llm"' decisions.json || fail "agent not recorded"
stop_fake
[ "$(grep -c '"n":' log.jsonl)" -eq 2 ] || fail "expected 2 requests"
grep -q '"role":"filter"' log.jsonl || fail "role header missing"
grep -q 'Bearer sk-cli-SECRET-5150' log.jsonl || fail "key not sent"
grep -q 'Match finder strategy' log.jsonl || fail "docs not in the prompt"
# the key is in no output and not in the database
! grep -q SECRET out.txt err.txt decisions.json || fail "key printed"
! grep -aq SECRET run.db* || fail "key stored"

# ---- replay with the server gone: the same decisions, no network
cp decisions.json live.json
run 0 "$BIN" prune "$TOY" -o decisions.json --agent llm "${FAST[@]}" \
  --set "llm.base_url=$URL" --llm-cache replay --db run.db
cmp -s live.json decisions.json || fail "replay gave other decisions"
# a question never recorded
run 1 "$BIN" prune "$TOY" -o x.json --agent llm "${FAST[@]}" \
  --objectives time --llm-cache replay --db run.db
expect_in err.txt "no recorded answer for role 'filter'"
one_line err.txt

# ---- docs: extraction through a settings file
cat > docs.json <<'JSON'
[{"match": "X-LLM4Perf-Role: extract", "content": "{\"options\": [{\"name\": \"level\", \"type\": \"int\", \"min\": 1, \"max\": 9, \"default\": 5, \"description\": \"Compression level.\", \"flag\": \"--level\", \"form\": \"value\"}, {\"name\": \"no-hints\", \"type\": \"bool\", \"description\": \"Ignore hint files.\", \"flag\": \"--no-hints\", \"form\": \"switch\"}]}"}]
JSON
start_fake docs.json
cp "$SRC/tests/data/help/frob.json" spec.json
printf 'llm.base_url = %s\nllm.model = fake\nllm.backoff_s = 0.05\n' "$URL" > llm.conf
run 0 "$BIN" docs spec.json --from-file "$SRC/tests/data/help/frob.txt" \
  --agent llm --llm-config llm.conf
expect_in out.txt '^level +by name +--level +added +added'
expect_in out.txt '^hints +negated +--no-hints +added +added'
expect_in out.txt '^2 of 8 options matched'
grep -q '"doc": "Compression level."' spec.json || fail "doc not written"
run 0 "$BIN" space spec.json
stop_fake
grep -q 'part 1 of 1 of the documentation' log.jsonl || fail "prompt not rendered"
grep -q 'frob' log.jsonl || fail "system not in the prompt"

# ---- errors
run 2 "$BIN" prune "$TOY" -o x.json --agent llm --llm-cache record
expect_in err.txt "llm.cache 'record' needs --db FILE"
run 2 "$BIN" prune "$TOY" -o x.json --agent llm --set llm.nosuch=1
expect_in err.txt "unknown setting 'llm.nosuch'"
run 2 "$BIN" prune "$TOY" -o x.json --agent llm --set llm.api_key=sk-x
expect_in err.txt "the key is read only from the environment"
! grep -q 'sk-x' err.txt || fail "a key given as a flag was echoed"
run 2 "$BIN" prune "$TOY" -o x.json --set llm.model=m
expect_in err.txt "need --agent llm"
run 2 "$BIN" prune "$TOY" -o x.json --agent llm --llm-cache sometimes
expect_in err.txt "--llm-cache 'sometimes'"
run 1 "$BIN" prune "$TOY" -o x.json --agent llm --llm-config nosuch.conf
expect_in err.txt "nosuch.conf"
run 1 "$BIN" docs spec.json --from-file "$SRC/tests/data/help/frob.txt" \
  --agent llm "${FAST[@]}" --set "llm.base_url=$URL" --set llm.max_retries=0
expect_in err.txt "role 'extract': gave up after 1 attempts: cannot reach"
one_line err.txt
! grep -q SECRET err.txt || fail "key printed"
run 1 "$BIN" prune "$TOY" -o x.json --agent llm \
  --set llm.prompts_dir=/nonexistent/prompts
expect_in err.txt "prompts directory '/nonexistent/prompts'"
