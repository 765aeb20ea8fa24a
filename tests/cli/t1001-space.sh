#!/usr/bin/env bash
# 'llm4perf space' on a hand-made spec (size computed by hand), and every
# kind of bad spec gives one error line with file:line:col and exit 1.
. "$(dirname "$0")/lib.sh"

# toy: 2 * 2 * (9 levels * 3 modes - 2 'best' levels below 3) * 3 threads
#    = 4 * 25 * 3 = 300
run 0 "$BIN" space "$SRC/tests/data/toy/toy.json"
expect_in out.txt '^space size: 300 valid configurations$'
expect_in out.txt '^options \(5, 5 free\):$'
run 0 "$BIN" space --json "$SRC/tests/data/toy/toy.json"
expect_in out.txt '"size": "300"'
expect_in out.txt '"features": 7'

# 120 independent 10-valued options: exactly 10^120 configurations
python_free_spec() {
  printf '{"name":"big","options":['
  for i in $(seq 1 120); do
    [ "$i" -gt 1 ] && printf ','
    printf '{"name":"o%d","type":"int","min":0,"max":9}' "$i"
  done
  printf '],"objectives":[{"name":"t"}]}\n'
}
python_free_spec > big.json
run 0 "$BIN" space big.json
expect_in out.txt "^space size: 1$(printf '0%.0s' $(seq 1 120)) \(1\.000e\+120\) valid"

bad() { # bad NAME TEXT PATTERN
  printf '%s' "$2" > "$1.json"
  run 1 "$BIN" space "$1.json"
  one_line err.txt
  expect_in err.txt "$3"
}
bad malformed '{"name": "x", "options": [}' \
  '^llm4perf: error: malformed\.json:1:27: '
bad unknown-key '{"name": "x",
 "optoins": []}' \
  "unknown-key\.json:2:2: unknown key 'optoins'"
bad out-of-domain '{"name": "x", "options": [
  {"name": "crf", "type": "int", "min": 0, "max": 51,
   "default": 60}],
 "objectives": [{"name": "t"}]}' \
  "out-of-domain\.json:3:15: option 'crf': default 60 is outside its domain"
bad bad-enum '{"name": "x", "options": [
  {"name": "me", "type": "enum", "values": ["dia", "hex"], "default": "umh"}],
 "objectives": [{"name": "t"}]}' \
  "bad-enum\.json:2:71: option 'me': value 'umh' is not one of its values"
bad unknown-option '{"name": "x", "options": [{"name": "a", "type": "bool"}],
 "constraints": ["a -> b"],
 "objectives": [{"name": "t"}]}' \
  "unknown-option\.json:2:18: constraint 'a -> b': column 6: unknown option 'b'"
bad unsatisfiable '{"name": "x", "options": [
  {"name": "level", "type": "int", "min": 1, "max": 9}],
 "constraints": ["level > 3", "level < 2"],
 "objectives": [{"name": "t"}]}' \
  "unsatisfiable\.json:3:31: constraints cannot all hold together: 'level < 2'"
bad no-objectives '{"name": "x", "options": [{"name": "a", "type": "bool"}]}' \
  "no-objectives\.json:1:1: a spec needs a non-empty 'objectives' array"
bad not-json 'hello' "not-json\.json:1:[0-9]+: '\[' or '\{' expected"
run 1 "$BIN" space missing.json
one_line err.txt
expect_in err.txt "cannot open 'missing\.json': No such file"
