#!/usr/bin/env bash
# "llm4perf show" prints the llm4perf diagnostics of a real campaign
# (builtin agent): a line per iteration (proposals, agreement, diversity,
# novelty), the campaign's summary (coverage per option, the stagnation
# rule), and --json holds the same numbers in its "diagnostics" object;
# with voting none the agreement is undefined ("-", null); a campaign of
# another sampler has none.
. "$(dirname "$0")/lib.sh"

lrzip="$SRC/data/lrzip/lrzip.json"
toy="$SRC/tests/data/toy/toy.json"

run 0 "$BIN" sample "$lrzip" --sampler llm4perf --budget 60 --db lz.db
run 0 "$BIN" show lz.db
cp out.txt lz.show
# 60 = 7 initial + 7 x 7 + 4: iterations 0 to 8, each with its line
[ "$(grep -c '^iteration ' lz.show)" -eq 9 ] || fail "not 9 iterations"
[ "$(grep -c '^  diagnostics: ' lz.show)" -eq 9 ] ||
  fail "not one diagnostics line per iteration"
num='(-|[01]\.[0-9]{2})'
expect_in lz.show "^  diagnostics: 21 proposals \(0 invalid, 0 repaired, [0-9]+ duplicates\), agreement $num \(share $num\), diversity [01]\.[0-9]{2}, novelty -$"
expect_in lz.show "^  diagnostics: 21 proposals \(.*, novelty [01]\.[0-9]{2}(, stagnant)?$"
# the line closes its iteration: right after the batch (or a fallback)
awk '/^  diagnostics: / && prev !~ /^  (batch|fallback|strategy source)/ {
  bad = 1 } { prev = $0 } END { exit bad }' lz.show ||
  fail "a diagnostics line is not at the end of its iteration"
expect_in lz.show '^diagnostics: 9 iterations, [0-9]+ proposals \([0-9]+ invalid, [0-9]+ repaired, [0-9]+ duplicates\); means: agreement [01]\.[0-9]{2} \(share [01]\.[0-9]{2}\), diversity [01]\.[0-9]{2}, novelty [01]\.[0-9]{2}$'
expect_in lz.show '^coverage \(values the batches reached; numbers with more than 10 values in 10 bins\):$'
# lrzip: 7 options, none pruned by the builtin filter; Level has 9 values
expect_in lz.show '^  compression +free +[1-6]/6 +[01]\.[0-9]{2}$'
expect_in lz.show '^  Level +free +[1-9]/9 +[01]\.[0-9]{2}$'
expect_in lz.show '^  mean coverage [01]\.[0-9]{2} over 7 free options$'
grep -Eq '^(warning: iterations [0-9, ]+ are stagnant .*same region|stagnation: no warning \([0-9]+ stagnant iterations; it takes 2 in a row .*)$' lz.show ||
  fail "no stagnation line"
# the text holds no timing: a second show is the same
run 0 "$BIN" show lz.db
cmp out.txt lz.show || fail "show is not deterministic"

# --json: a "diagnostics" object with the same numbers
run 0 "$BIN" show lz.db --json
cp out.txt lz.json
expect_in lz.json '^  "diagnostics": \{$'
expect_in lz.json '"free_options": 7,'
expect_in lz.json '"stagnation": \{'
expect_in lz.json '"fraction": 0\.25,'
if command -v jq >/dev/null; then
  [ "$(jq '.diagnostics.iterations | length' lz.json)" -eq 9 ] ||
    fail "json: not 9 iterations"
  [ "$(jq '[.diagnostics.iterations[].proposals] | add' lz.json)" -eq \
    "$(jq '.diagnostics.totals.proposals' lz.json)" ] ||
    fail "json: proposals do not add up"
  [ "$(jq '.diagnostics.iterations[0].novelty' lz.json)" = null ] ||
    fail "json: the initial batch has a novelty"
  [ "$(jq '[.diagnostics.coverage.options[] | select(.state == "free")] |
          length' lz.json)" -eq 7 ] || fail "json: not 7 free options"
  # the text's means are the JSON's, rounded
  div=$(jq '.diagnostics.means.diversity' lz.json)
  printf -v div '%.2f' "$div"
  expect_in lz.show "^diagnostics: .*, diversity $div, "
  # the text's stagnant iterations are the JSON's
  [ "$(grep -c ', stagnant$' lz.show)" -eq \
    "$(jq '.diagnostics.stagnation.stagnant | length' lz.json)" ] ||
    fail "stagnant iterations differ between text and json"
fi

# voting none: one generator, agreement undefined; no pruning: verbose free
run 0 "$BIN" sample "$toy" --sampler llm4perf --budget 20 --db none.db \
  --voting none --no-prune
run 0 "$BIN" show none.db
expect_in out.txt '^  diagnostics: [0-9]+ proposals \([^)]*\), agreement -, diversity [01]\.[0-9]{2}, novelty -$'
expect_in out.txt '^diagnostics: 3 iterations, .*; means: agreement - \(share -\), '
expect_in out.txt '^  verbose +free +[12]/2 '
expect_in out.txt '^  mean coverage [01]\.[0-9]{2} over 5 free options$'
run 0 "$BIN" show none.db --json
expect_in out.txt '"agreement": null,'
# the builtin filter prunes verbose: marked, not in the mean
run 0 "$BIN" sample "$toy" --sampler llm4perf --budget 20 --db pr.db
run 0 "$BIN" show pr.db
expect_in out.txt '^  verbose +pruned +1/2 +-$'
expect_in out.txt '^  mean coverage [01]\.[0-9]{2} over 4 free options$'

# another sampler: no artefacts, no diagnostics
run 0 "$BIN" sample "$toy" --sampler random --budget 5 --db r.db
run 0 "$BIN" show r.db
grep -q 'diagnostics' out.txt && fail "diagnostics for a random campaign"
run 0 "$BIN" show r.db --json
expect_in out.txt '"diagnostics": null'
exit 0
