# Shared helpers for CLI tests: each test sources this, runs the built tool
# ($L4P_BIN) in a scratch directory and fails on the first broken check.
set -u
BIN=${L4P_BIN:?L4P_BIN must point at the built llm4perf}
SRC=${L4P_SRC:?L4P_SRC must point at the source tree}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/l4p-cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
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
set -e
