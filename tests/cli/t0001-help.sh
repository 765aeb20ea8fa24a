#!/usr/bin/env bash
# Basics: --help and --version work, every command answers --help with its
# usage, and unknown commands and options are usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

run 0 "$BIN" --version
expect_in out.txt '^llm4perf [0-9]+\.[0-9]+\.[0-9]+$'

run 0 "$BIN" --help
for cmd in $(sed -n 's/^  \([a-z]*\) .*/\1/p' out.txt); do
  run 0 "$BIN" "$cmd" --help
  expect_in out.txt "^usage: llm4perf $cmd"
  # the synopsis in docs/cli/<cmd>.md matches --help
  doc="$SRC/docs/cli/$cmd.md"
  [ -f "$doc" ] || fail "missing $doc"
  synopsis=$(head -1 out.txt | sed 's/^usage: //')
  grep -Fq -- "$synopsis" "$doc" || fail "synopsis of '$cmd' differs from $doc"
done

run 2 "$BIN"
run 2 "$BIN" frobnicate
expect_in err.txt "'frobnicate' is not a command"
run 2 "$BIN" space --no-such-flag x.json
expect_in err.txt "unknown option '--no-such-flag'"
run 2 "$BIN" sample "$SRC/tests/data/toy/toy.json" --budget ten --sampler random --db x.db
expect_in err.txt "option '--budget': 'ten' is not a non-negative integer"
run 2 "$BIN" sample "$SRC/tests/data/toy/toy.json" --budget 5 --sampler nosuch --db x.db
expect_in err.txt "unknown sampler 'nosuch'"
run 0 "$BIN" samplers
expect_in out.txt '^random '
