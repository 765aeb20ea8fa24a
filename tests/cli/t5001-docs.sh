#!/usr/bin/env bash
# llm4perf docs: extraction from a command (split into words, never a
# shell: metacharacters arrive as arguments), from a file, from the spec's
# own "docs"; the matched docs and cli forms written into the spec.
. "$(dirname "$0")/lib.sh"

FROB="$SRC/tests/data/help/frob"
cp "$SRC/tests/data/help/frob.json" spec.json

# --list: no spec needed
run 0 "$BIN" docs --list --from-command "'$FROB' --help"
expect_in out.txt '^level +int +--level +value +5 +1\.\.9'
expect_in out.txt '^mode +enum +--mode +equals +fast +fast\|slow\|best'
expect_in out.txt '^24 options documented$'

# a command string's metacharacters are arguments, not shell syntax
run 0 "$BIN" docs --list --from-command "'$FROB' --args a;touch pwned | \$(touch pwned2) '*'"
[ ! -e pwned ] && [ ! -e pwned2 ] || fail "a shell ran the command"
# (--args output is no help text: nothing documented)
expect_in out.txt '^0 options documented$'

# help printed on stderr with a failing exit status still counts
run 0 "$BIN" docs --list --from-command "'$FROB' --stderr-help"
expect_in out.txt '^24 options documented$'
expect_in err.txt "warning: .* exited with status 1"

# in place, from the spec's own "docs" (./frob, relative to the spec)
cp "$FROB" "$SRC/tests/data/help/frob.txt" .
run 0 "$BIN" docs spec.json
expect_in out.txt '^level +by name +--level +added +added'
expect_in out.txt '^threads +by flag +--threads +added +kept'
expect_in out.txt '^hints +negated +--no-hints +added +added'
expect_in out.txt '^verbose +by name +--verbose +kept +added'
expect_in out.txt '^turbo_boost +- +\(not documented\)'
expect_in out.txt '^7 of 8 options matched; 17 documented options are not in the spec$'
grep -q '"doc": "Opposite of --no-hints: ignore hint files next to the input"' spec.json ||
  fail "negated doc not written"
grep -q '"false_flag": "--no-checksum"' spec.json || fail "false_flag not written"
run 0 "$BIN" space spec.json

# -o leaves the spec alone; --overwrite replaces hand-written docs
cp "$SRC/tests/data/help/frob.json" orig.json
run 0 "$BIN" docs orig.json --from-file frob.txt --overwrite -o new.json
cmp -s orig.json "$SRC/tests/data/help/frob.json" || fail "-o changed the spec"
grep -q 'print progress messages; repeat for more' new.json || fail "no overwrite"

# errors
run 2 "$BIN" docs spec.json --from-command x --from-file y
run 2 "$BIN" docs spec.json --agent nosuch --from-file frob.txt
expect_in err.txt "unknown agent 'nosuch' \(known: builtin"
run 1 "$BIN" docs spec.json --from-command "/nonexistent/frob --help"
expect_in err.txt "cannot run '/nonexistent/frob'"
one_line err.txt
run 1 "$BIN" docs spec.json --from-command "'unterminated"
expect_in err.txt "unterminated single quote"
run 1 "$BIN" docs spec.json --from-command "sleep 10" --timeout 0.3
expect_in err.txt "did not finish within 0.3 s"
run 2 "$BIN" docs "$SRC/tests/data/toy/toy.json"
expect_in err.txt "no documentation"
run 1 "$BIN" docs spec.json --from-file nosuch.txt
expect_in err.txt "cannot open 'nosuch.txt'"
