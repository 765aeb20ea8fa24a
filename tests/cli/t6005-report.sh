#!/usr/bin/env bash
# Reports: a tiny study (tests/data/report: a system whose names hold
# <b>&'" and a gnuplot injection attempt, and lrzip) gives one
# self-contained HTML page with its sections and 12 inline SVG plots, the
# names escaped in HTML, Markdown and gnuplot; --md writes SVG and CSV
# files; two runs give the same bytes; a missing or unfinished study, a
# corrupt summary.json and a missing, failing or hanging gnuplot fail
# with one line and leave nothing behind.
. "$(dirname "$0")/lib.sh"

if ! command -v gnuplot >/dev/null; then
  [ "${CI:-}" = true ] && fail "gnuplot is missing (scripts/install-deps.sh)"
  skip "gnuplot not installed"
fi

run 0 "$BIN" study "$SRC/tests/data/report/study.json" --out st --jobs 2
cp -r st st-before

run 0 "$BIN" report st
expect_in out.txt '^report of st: 12 plots, 10 tables -> st/report\.html$'
html=st/report.html
[ -s "$html" ] || fail "no st/report.html"
# sections, in order, and the study's name escaped
for id in study headlines errors ranks fronts influence; do
  expect_in "$html" "<h[12] id=\"$id\">"
done
expect_in "$html" '<h1 id="study">Study report &lt;b&gt;&amp;&#39;&quot; test</h1>'
expect_in "$html" 'Best in X of Y error scenarios'
expect_in "$html" 'Pruning improved the sampler in X of Y'
expect_in "$html" '<td>random\+pruned</td><td class="rk[1-5]">'
# no diagnostics section yet (its place is empty)
! grep -q 'id="diagnostics"' "$html" || fail "unexpected diagnostics section"
# 12 plots: 4 error, 2 hypervolume, 2 fronts, 4 influence
[ "$(grep -o '<svg' "$html" | wc -l)" -eq 12 ] || fail "expected 12 <svg"
[ "$(grep -o '<figure class="plot"' "$html" | wc -l)" -eq 12 ] ||
  fail "expected 12 figures"
# self-contained: no URL but the SVG namespaces, one script, no links
others=$(grep -oE 'https?://[^"'"'"' <>)]*' "$html" |
         grep -vxE 'http://www\.w3\.org/(2000/svg|1999/xlink)' || true)
[ -z "$others" ] || fail "external references: $others"
! grep -qiE '<link|<img|<iframe|src=' "$html" || fail "a reference to a file"
[ "$(grep -o '<script' "$html" | wc -l)" -eq 1 ] || fail "not one script"
! grep -q '<?xml\|<!DOCTYPE svg' "$html" || fail "SVG prolog left inline"
# every id unique (gnuplot's marker ids are prefixed per plot)
dups=$(grep -oE " id=['\"][^'\"]*['\"]" "$html" | sort | uniq -d)
[ -z "$dups" ] || fail "repeated ids: $(echo "$dups" | head -3)"
# escaping: no raw <b> anywhere; the names as text in HTML and in SVG
! grep -q '<b>' "$html" || fail "an unescaped <b> in the page"
! grep -q '<i>' "$html" || fail "an unescaped <i> in the page"
expect_in "$html" '<td>toy&lt;b&gt;&amp;&#39;&quot;</td>'
grep -Fq "<text>toy&lt;b>&amp;'\": time&lt;b>&amp;'\", xgboost</text>" "$html" ||
  fail "the plot title did not reach gnuplot's SVG intact"
# the unit tries gnuplot's system() and a backquote command: it stays text
grep -Fq "[s' . system('touch pwned') . '\`touch pwned2\`&lt;i>] (min)" "$html" ||
  fail "the unit did not reach gnuplot's SVG as text"
[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e st/pwned ] ||
  fail "a label ran a command through gnuplot"
# the front of a 3000+ row table is subsampled; the true front is drawn
expect_in "$html" 'all configurations \(3000 shown\)'
expect_in "$html" 'true Pareto front \([0-9]+\)'
expect_in "$html" 'llm4perf[^<]*: predicted front \([0-9]+\)'
# the pruned option is marked in the influence plot
expect_in "$html" '<text>verbose \(pruned\)</text>'
# the report changed nothing in the study's directory
diff -r st-before st -x report.html -x 'study.db-*' >/dev/null ||
  fail "the report changed the study directory"

# from another folder: the derived decisions (summary.json names them
# relative to where the study ran) are found in DIR/prune/
mkdir elsewhere
(cd elsewhere && "$BIN" report ../st -o ../elsewhere.html >/dev/null) ||
  fail "report from another folder failed"
cmp elsewhere.html "$html" || fail "another folder gave another page"

# Markdown: the same content, plots as SVG and their data as CSV
run 0 "$BIN" report st -o copy.html --md md/r.md
expect_in out.txt '-> copy\.html, md/r\.md$'
cmp copy.html "$html" || fail "-o wrote another page than the default"
[ "$(ls md/r-plots/*.svg | wc -l)" -eq 12 ] || fail "expected 12 SVG files"
[ "$(ls md/r-plots/*.csv | wc -l)" -eq 12 ] || fail "expected 12 CSV files"
for f in error-toy-b-time-b-xgboost hv-lrzip-xgboost front-lrzip \
         influence-toy-b-time-b; do
  [ -s "md/r-plots/$f.svg" ] && [ -s "md/r-plots/$f.csv" ] ||
    fail "missing plot $f"
  expect_in md/r.md "\]\(r-plots/$f\.svg\)"
  expect_in md/r.md "\]\(r-plots/$f\.csv\)"
  head -c 4 "md/r-plots/$f.svg" | grep -q '<svg' || fail "$f.svg: not SVG"
done
expect_in md/r-plots/error-toy-b-time-b-xgboost.csv '^series,budget,mean_mre_percent,sd$'
expect_in md/r-plots/error-toy-b-time-b-xgboost.csv '^random\+pruned,12,[0-9.]+,[0-9.]+$'
expect_in md/r-plots/influence-toy-b-time-b.csv '^series,label,eta2$'
expect_in md/r-plots/influence-toy-b-time-b.csv '^pruned by the study.s decisions,verbose \(pruned\),'
expect_in md/r-plots/front-toy-b.csv '^series,"time<b>&'"'"'""",size,row$'
[ "$(grep -c '^all configurations (3000 shown),' md/r-plots/front-lrzip.csv)" -eq 3000 ] ||
  fail "front-lrzip.csv: not 3000 cloud rows"
expect_in md/r.md '^# Study report \\<b\\>\\&'"'"'" test$'
expect_in md/r.md '^## Error versus budget$'
expect_in md/r.md '^\| random\+pruned \| [0-9]'
! grep -q '<b>' md/r.md || fail "an unescaped <b> in the Markdown"

# deterministic: the same bytes again
cp -r md md1
run 0 "$BIN" report st -o again.html --md md/r.md
cmp again.html "$html" || fail "a second run wrote another page"
diff -r md1 md >/dev/null || fail "a second run wrote other Markdown files"

# bad input: one line, exit 1, nothing written
run 1 "$BIN" report missing
one_line err.txt
expect_in err.txt "^llm4perf: error: cannot open study directory 'missing': No such file or directory$"
mkdir empty
run 1 "$BIN" report empty
expect_in err.txt "^llm4perf: error: 'empty' holds no study.db"
cp -r st-before bad
head -c 3000 st/summary.json > bad/summary.json
run 1 "$BIN" report bad
one_line err.txt
expect_in err.txt '^llm4perf: error: bad/summary\.json:[0-9]+:[0-9]+: '
[ ! -e bad/report.html ] || fail "a failed report left a page"
sed 's/"repetitions": 3/"repetitions": "three"/' st/summary.json > bad/summary.json
run 1 "$BIN" report bad
expect_in err.txt "^llm4perf: error: bad/summary\.json:5:[0-9]+: 'repetitions' should be an integer$"
rm bad/summary.json
run 1 "$BIN" report bad
one_line err.txt
expect_in err.txt "^llm4perf: error: the study in 'bad' has not finished: study.db holds [0-9]+ cells and there is no summary.json yet"
cp st/summary.json bad/
head -41 st/cells.csv > bad/cells.csv
run 1 "$BIN" report bad
expect_in err.txt "cells.csv holds 40 of the 96 cells summary.json counts \(56 missing"
cp st/cells.csv bad/
sed 's|report/hostile\.json"|report/missing.json"|' st/summary.json > bad/summary.json
run 1 "$BIN" report bad
one_line err.txt
expect_in err.txt "^llm4perf: error: system 'toy<b>&'\"': cannot read its spec '.*/missing\.json' named in bad/summary\.json: No such file or directory"
cp st/summary.json bad/

# gnuplot missing, failing or hanging: the plot named, temporary files
# and the output removed
run 1 env PATH=/nonexistent "$BIN" report bad -o none.html
one_line err.txt
expect_in err.txt '^llm4perf: error: gnuplot not found: install gnuplot-nox \(the report draws its plots with it\)$'
mkdir fake tmp
printf '#!/bin/sh\necho "line 9: all points undefined" >&2\nexit 3\n' > fake/gnuplot
chmod +x fake/gnuplot
run 1 env PATH="$PWD/fake:$PATH" TMPDIR="$PWD/tmp" "$BIN" report bad -o none.html
one_line err.txt
expect_in err.txt "^llm4perf: error: plot 'error-toy-b-time-b-xgboost': gnuplot failed \(exit status 3\): line 9: all points undefined$"
printf '#!/bin/sh\nsleep 60\n' > fake/gnuplot
run 1 env PATH="$PWD/fake:$PATH" TMPDIR="$PWD/tmp" "$BIN" report bad -o none.html --plot-timeout 1
expect_in err.txt "^llm4perf: error: plot 'error-toy-b-time-b-xgboost': gnuplot did not finish within 1 s$"
[ ! -e none.html ] && [ ! -e bad/report.html ] || fail "a failed report left a page"
[ -z "$(ls -A tmp)" ] || fail "temporary files left: $(ls tmp)"

# usage errors
run 2 "$BIN" report
expect_in err.txt 'expected one study directory'
run 2 "$BIN" report st --plot-timeout 0
run 2 "$BIN" report st --no-such-option
