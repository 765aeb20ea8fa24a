#!/usr/bin/env bash
# 'llm4perf import' on the bundled lrzip MOOT table with its overlay: the
# five back-end columns and their parent become one enum, so the space is
# exactly the 5184 measured rows (2 x 6 x 2 x 2 x 9 x 4 x 3). Bad inputs
# (short CSV row, broken feature model, unknown column, bad --where) give
# one error line naming file:line or the culprit, and exit 1.
. "$(dirname "$0")/lib.sh"

run 0 "$BIN" import "$SRC/data/lrzip/moot/SS-T.csv" --format moot \
  --objectives Performance:min,Benchmark-cpu:min \
  --overlay "$SRC/data/lrzip/moot/overlay.json" --name lrzip -o lrzip.json
summary='^imported lrzip: 7 options, 0 constraints, 2 objectives '
summary+='\(Performance, Benchmark-cpu\), 5184 rows; space size 5184$'
expect_in out.txt "$summary"
[ -f lrzip.csv ] || fail "no table written beside lrzip.json"
[ "$(wc -l < lrzip.csv)" -eq 5185 ] || fail "lrzip.csv should hold 5184 rows"
expect_in lrzip.json '"path": "lrzip.csv"'

run 0 "$BIN" space lrzip.json
expect_in out.txt '^space size: 5184 valid configurations$'
expect_in out.txt '^options \(7, 7 free\):$'
labels='\{none, Bzip2, Gzip, Lzo, Zpaq, Lzma\}'
expect_in out.txt "^  compression +enum +$labels +default Lzma$"
expect_in out.txt '^objectives \(2\):$'
expect_in out.txt '^  Performance +ms +minimise$'
expect_in out.txt '^  Benchmark-cpu +% +minimise$'
if grep -q compressionBzip2 out.txt; then
  fail "compressionBzip2 is still an option"
fi

# --where: Level (ordered) stays an option with 3 values, encryption (=)
# goes: 6 x 2 x 2 x 3 x 4 x 3 = 864
run 0 "$BIN" import "$SRC/data/lrzip/moot/SS-T.csv" \
  --where 'Level>=7,encryption=0' -o high.json
expect_in out.txt '^imported SS-T: 6 options, .* 864 rows; space size 864$'

bad() { # bad PATTERN CMD...: exit 1, one line on stderr matching PATTERN
  local pattern=$1; shift
  run 1 "$@"
  one_line err.txt
  expect_in err.txt "$pattern"
}

printf 'a,b,t\n1,2,3\n4,5\n' > short.csv
bad '^llm4perf: error: short\.csv:3: expected 3 fields, found 2$' \
  "$BIN" import short.csv --objectives t -o x.json

mkdir fm
printf '%s\n' '<vm name="t">' '<binaryOptions>' '<configurationOption>' \
  '<name>a</nam>' > fm/FeatureModel.xml
printf 'a,t\n1,2\n0,3\n' > fm/m.csv
bad '^llm4perf: error: fm/FeatureModel\.xml:4: malformed XML' \
  "$BIN" import fm/m.csv -o x.json

bad "objective 'Nope' is not a column of" \
  "$BIN" import "$SRC/data/lrzip/moot/SS-T.csv" \
  --objectives Performance,Nope -o x.json
bad "where 'Level<fast': column 'Level': '<' orders numbers" \
  "$BIN" import "$SRC/data/lrzip/moot/SS-T.csv" --where 'Level<fast' \
  -o x.json
bad "where 'Nope=1': no column 'Nope'" \
  "$BIN" import "$SRC/data/lrzip/moot/SS-T.csv" --where 'Nope=1' -o x.json
[ ! -e x.json ] || fail "a failed import wrote x.json"
