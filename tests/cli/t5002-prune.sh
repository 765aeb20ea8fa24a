#!/usr/bin/env bash
# llm4perf prune: the builtin filter's decisions with reasons, written as
# a decisions file that "sample --prune" accepts; objectives chosen.
. "$(dirname "$0")/lib.sh"

TOY="$SRC/tests/data/toy/toy.json"

run 0 "$BIN" prune "$TOY" -o decisions.json
expect_in out.txt '^prune +verbose +logging: .verbose. in the name -> pruned'
expect_in out.txt '^keep +threads +parallelism: .threads. in the name -> kept'
expect_in out.txt '^keep +level +effort'
expect_in out.txt '^4 kept, 1 pruned -> decisions.json$'
grep -q '"agent": "builtin"' decisions.json || fail "agent not recorded"
grep -q '"objectives"' decisions.json || fail "objectives not recorded"
[ "$(grep -c '"reason": "..*"' decisions.json)" -eq 5 ] || fail "a reason is missing"

# the file works in front of a sampler
run 0 "$BIN" sample "$TOY" --sampler random --budget 5 --db run.db --prune decisions.json
expect_in out.txt '5 of 5 configurations measured'

# objectives: I/O options move time, not size
cat > io.json <<'JSON'
{"name": "io", "options": [
  {"name": "fsync", "type": "bool", "doc": "Flush data to disk after each write."},
  {"name": "level", "type": "int", "min": 1, "max": 9, "default": 5}],
 "objectives": [{"name": "time", "unit": "s"}, {"name": "size", "unit": "bytes"}]}
JSON
run 0 "$BIN" prune io.json --objectives size -o size.json
expect_in out.txt "^prune +fsync +io: .fsync. in the name -> pruned: .*none of the objectives \(size\)"
run 0 "$BIN" prune io.json --objectives time,size -o both.json
expect_in out.txt '^keep +fsync'

# errors
run 2 "$BIN" prune "$TOY"
run 2 "$BIN" prune "$TOY" -o x.json --objectives energy
expect_in err.txt "unknown objective 'energy'"
run 2 "$BIN" prune "$TOY" -o x.json --agent nosuch
expect_in err.txt "unknown agent 'nosuch'"
run 1 "$BIN" prune nosuch.json -o x.json
