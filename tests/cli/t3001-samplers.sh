#!/usr/bin/env bash
# Samplers from the command line: 'llm4perf samplers' lists every
# registered sampler; each design sampler measures 30 distinct toy
# configurations; --prune holds pruned options fixed in front of every
# registered sampler and keeps pruned and unpruned campaigns apart; an
# unknown option in the decisions file is one error line with
# file:line:col.
. "$(dirname "$0")/lib.sh"

spec="$SRC/tests/data/toy/toy.json"

run 0 "$BIN" samplers
for s in random lhs sobol twise pbd; do
  expect_in out.txt "^$s "
done
# every registered sampler is listed once, with its numeric handling
run 0 "$BIN" samplers --verbose
expect_in out.txt "numeric options: "
listed=$(grep -Ec '^[a-z0-9]+ ' out.txt)
[ "$(grep -c 'numeric options: ' out.txt)" -eq "$listed" ] ||
  fail "a sampler lacks its numeric handling"

distinct() { tail -n +2 "$1" | cut -d, -f1-5 | sort -u | wc -l; }

for s in lhs sobol twise pbd; do
  run 0 "$BIN" sample "$spec" --sampler $s --budget 30 --seed 4 --db $s.db
  expect_in out.txt "sampler $s, seed 4: 30 of 30"
  run 0 "$BIN" export $s.db -o $s.csv
  [ "$(tail -n +2 $s.csv | wc -l)" -eq 30 ] || fail "$s: not 30 rows"
  [ "$(distinct $s.csv)" -eq 30 ] || fail "$s: duplicate configurations"
  # the same command again resumes the finished campaign: nothing new
  run 0 "$BIN" sample "$spec" --sampler $s --budget 30 --seed 4 --db $s.db
  run 0 "$BIN" export $s.db -o again.csv
  cmp -s $s.csv again.csv || fail "$s: rerun changed the campaign"
done

# twise reports its covering array in the run's event log (mode best with
# level 1 is the one pair no valid configuration holds)
if command -v sqlite3 >/dev/null; then
  sqlite3 twise.db "select message from event where kind = 'sampler'" \
    > events.txt
  expect_in events.txt '^twise: [0-9]+ rows cover 86 of 86 coverable value pairs of 5 options; 1 pairs excluded'
fi

# pruning: verbose at its default, threads at 4
cat > decisions.json <<'EOF'
{
  "system": "toy",
  "agent": "manual",
  "objectives": ["time", "size"],
  "decisions": [
    {"option": "verbose", "keep": false, "reason": "only prints messages"},
    {"option": "threads", "keep": false, "value": 4, "reason": "one machine"},
    {"option": "level", "keep": true, "reason": "effort changes both"}
  ]
}
EOF
# every registered sampler works on the pruned space
run 0 "$BIN" samplers
for s in $(awk '/^[a-z0-9]+ /{print $1}' out.txt); do
  run 0 "$BIN" sample "$spec" --sampler $s --budget 30 --db pruned.db \
    --prune decisions.json
  run 0 "$BIN" export pruned.db -o pruned.csv
  [ "$(tail -n +2 pruned.csv | wc -l)" -eq 30 ] || fail "$s: not 30 rows"
  [ "$(distinct pruned.csv)" -eq 30 ] || fail "$s: duplicates when pruned"
  [ "$(tail -n +2 pruned.csv | cut -d, -f2 | sort -u)" = 0 ] ||
    fail "$s: pruned 'verbose' varies"
  [ "$(tail -n +2 pruned.csv | cut -d, -f5 | sort -u)" = 4 ] ||
    fail "$s: pruned 'threads' is not held at 4"
  rm -f pruned.db
done

# a pruned and an unpruned campaign never resume each other
run 0 "$BIN" sample "$spec" --sampler lhs --budget 30 --seed 4 --db lhs.db \
  --prune decisions.json
expect_in out.txt '^campaign 2: '
run 0 "$BIN" export lhs.db --list
[ "$(grep -c ' done$' out.txt)" -eq 2 ] || fail "expected two campaigns"

# an unknown option: one line naming the place, exit 1
cat > unknown.json <<'EOF'
{"decisions": [
  {"option": "verbose", "keep": false},
  {"option": "nosuch", "keep": false}
]}
EOF
run 1 "$BIN" sample "$spec" --sampler lhs --budget 30 --db u.db \
  --prune unknown.json
one_line err.txt
expect_in err.txt "^llm4perf: error: unknown.json:3:14: unknown option 'nosuch'"

# pruning that leaves no valid configuration is refused
cat > empty.json <<'EOF'
{"decisions": [
  {"option": "mode", "keep": false, "value": "best"},
  {"option": "level", "keep": false, "value": 1}
]}
EOF
run 1 "$BIN" sample "$spec" --sampler pbd --budget 30 --db e.db \
  --prune empty.json
one_line err.txt
expect_in err.txt "leaves no valid configuration"
exit 0
