#!/usr/bin/env bash
# A live system whose runs fail: each failure is stored with its reason
# (exit status with the last stderr line, timeout), reported by 'run',
# and never trained on; a missing program and a bad oracle description
# stop the run at once with one clear line.
. "$(dirname "$0")/lib.sh"

FAKE=${L4P_FAKE_WORKLOAD:-}
[ -x "$FAKE" ] || skip "L4P_FAKE_WORKLOAD is not set"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"

cat > fails.json <<JSON
{"name": "fails", "options": [
  {"name": "fail", "type": "int", "values": [0, 3],
   "cli": {"flag": "--fail", "form": "value", "omit_default": true}},
  {"name": "hang", "type": "bool", "cli": {"flag": "--hang"}}],
 "objectives": [{"name": "score", "goal": "max"}],
 "oracle": {"type": "command", "command": ["$FAKE", "{options}"],
  "metrics": [{"name": "score", "stdout": "score: ([0-9.]+)"}],
  "timeout_s": 0.5, "kill_grace_s": 0.1}}
JSON
# four configurations: one works, two exit 3 (fail is acted on before
# hang), one hangs; one measured value is too few to train on
run 1 "$BIN" run fails.json --budget 4 --sampler random --db f.db
expect_in err.txt '^llm4perf: 2 failed: exit status 3: fake: failing on purpose$'
expect_in err.txt '^llm4perf: 1 failed: timed out after 0\.5 s$'
expect_in err.txt '^llm4perf: error: 1 configurations measured: too few to train'
expect_in out.txt '^campaign 1 \(random, seed 1\): 1 of 4 configurations measured, 3 failed$'
[ "$(sqlite3 f.db "SELECT count(*) FROM configuration WHERE state = 'failed'")" -eq 3 ] ||
  fail "three failed configurations expected"
[ "$(sqlite3 f.db "SELECT count(*) FROM measurement WHERE status = 'L4P_EORACLE'
                   AND value IS NULL AND error LIKE 'timed out after 0.5 s'")" -eq 1 ] ||
  fail "the timeout is not stored with its reason"

# a program that is not installed: one line, nothing measured
sed "s|\"$FAKE\"|\"l4p-no-such-program\"|" fails.json > missing.json
run 1 "$BIN" run missing.json --budget 2 --db m.db
one_line err.txt
expect_in err.txt "^llm4perf: error: program 'l4p-no-such-program' not found in PATH"

# a bad oracle description names its place in the file
sed 's|score: (\[0-9.\]+)|score: ([0-9.]+|' fails.json > badre.json
run 1 "$BIN" run badre.json --budget 2 --db b.db
one_line err.txt
expect_in err.txt '^llm4perf: error: badre\.json:[0-9]+:[0-9]+: bad regular expression /score: \(\[0-9\.\]\+/'
sed 's|"timeout_s"|"timeout"|' fails.json > badkey.json
run 1 "$BIN" run badkey.json --budget 2 --db k.db
expect_in err.txt "^llm4perf: error: badkey\.json:[0-9]+:[0-9]+: unknown key 'timeout'$"
