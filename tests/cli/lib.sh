# Shared helpers for CLI tests: each test sources this, runs the built tool
# ($L4P_BIN) in a scratch directory and fails on the first broken check.
set -u
BIN=${L4P_BIN:?L4P_BIN must point at the built llm4perf}
SRC=${L4P_SRC:?L4P_SRC must point at the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/l4p-cli-XXXXXX")
trap 'stop_server; rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# run EXPECTED_EXIT CMD...: run, keep stdout in out.txt, stderr in err.txt
run() {
  local want=$1; shift
  set +e
  "$@" >out.txt 2>err.txt
  local got=$?
  set -e
  if [ "$got" -ne "$want" ]; then
    echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt
    fail "'$*' exited $got, expected $want"
  fi
}

# expect_in FILE PATTERN: the file matches the extended regex
expect_in() {
  grep -Eq -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "no match for '$2' in $1"; }
}

# one_line FILE: exactly one line (a single clear error message)
one_line() {
  [ "$(wc -l < "$1")" -eq 1 ] || { cat "$1"; fail "$1 should hold one line"; }
}

# fake_llm_only: skip unless the fake LLM server is built, and keep the
# tool's LLM settings to its flags (no environment settings, settings
# file or proxy between it and the server)
fake_llm_only() {
  [ -n "${L4P_FAKE_LLM:-}" ] || skip "L4P_FAKE_LLM is not set"
  unset OPENAI_BASE_URL L4P_LLM_MODEL L4P_LLM_CACHE L4P_LLM_CONFIG \
    L4P_PROMPTS_DIR http_proxy HTTP_PROXY https_proxy HTTPS_PROXY \
    all_proxy ALL_PROXY
  export no_proxy='*'
}

# requests LOG ROLE: how many requests of ROLE the server logged
requests() { grep -c "\"role\":\"$2\"" "$1" || true; }

# start_server LOG: the fake LLM server ($L4P_FAKE_LLM) answering from
# ./script.json, logging to LOG; sets $url (its base URL). One at a time:
# stop_server (also run on exit) stops it.
spid=
start_server() {
  rm -f port
  "$L4P_FAKE_LLM" --script script.json --port-file port --log "$1" \
    --idle-timeout 120 --max-seconds 500 >/dev/null 2>&1 &
  spid=$!
  for _ in $(seq 200); do [ -s port ] && break; sleep 0.05; done
  [ -s port ] || fail "the fake server did not start"
  url="http://127.0.0.1:$(cat port)/v1"
}
stop_server() {
  [ -n "$spid" ] || return 0
  kill "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  spid=
}
set -e
