#!/usr/bin/env bash
# Reports: a tiny study (tests/data/report: a system whose names hold
# <b>&'" and a gnuplot injection attempt, and lrzip; two LLM4Perf
# variants) gives one self-contained HTML page with its sections and 14
# inline SVG plots, the names escaped in HTML, Markdown and gnuplot; the
# sampler variants and LLM4Perf diagnostics tables hold the numbers of
# scottknott.csv and diagnostics.csv; --md writes SVG and CSV files; two
# runs give the same bytes; a study without diagnostics.csv gets a note;
# a missing or unfinished study, a corrupt summary.json or
# diagnostics.csv and a missing, failing or hanging gnuplot fail with one
# line and leave nothing behind.
. "$(dirname "$0")/lib.sh"

if ! command -v gnuplot >/dev/null; then
  [ "${CI:-}" = true ] && fail "gnuplot is missing (scripts/install-deps.sh)"
  skip "gnuplot not installed"
fi

run 0 "$BIN" study "$SRC/tests/data/report/study.json" --out st --jobs 2
cp -r st st-before

run 0 "$BIN" report st
expect_in out.txt '^report of st: 14 plots, 13 tables -> st/report\.html$'
html=st/report.html
[ -s "$html" ] || fail "no st/report.html"
# sections, in order, and the study's name escaped
ids=$(grep -oE '<h[12] id="[a-z]+"' "$html" | sed 's/.*id="//; s/"//' | tr '\n' ' ')
[ "$ids" = "study headlines errors ranks fronts variants influence diagnostics " ] ||
  fail "sections: $ids"
expect_in "$html" '<h1 id="study">Study report &lt;b&gt;&amp;&#39;&quot; test</h1>'
expect_in "$html" 'Best in X of Y error scenarios'
expect_in "$html" 'Pruning improved the sampler in X of Y'
expect_in "$html" '<td>random\+pruned</td><td class="rk[1-5]">'
# 14 plots: 4 error, 2 hypervolume, 2 fronts, 4 influence, 2 diagnostics
[ "$(grep -o '<svg' "$html" | wc -l)" -eq 14 ] || fail "expected 14 <svg"
[ "$(grep -o '<figure class="plot"' "$html" | wc -l)" -eq 14 ] ||
  fail "expected 14 figures"
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
# fmt X: the report's number format (three significant digits, whole
# numbers from 100), as a regex
fmt() {
  awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else printf "%.3g", v }' |
    sed 's/\./\\./g'
}
# sampler variants: llm4perf (the default: no params) and lp-g1 over the 8
# error scenarios (2 systems x 2 objectives x 2 budgets); lp-g1's mean MRE
# is the mean of its scenario means in scottknott.csv
expect_in "$html" '<h3>llm4perf variants, xgboost</h3>'
expect_in "$html" '<tr><td>llm4perf \(default\)</td><td>\{\}</td><td>(<strong>)?[0-9.]+(</strong>)?</td><td>1</td>'
mre=$(awk -F, '$1 == "mre" && $7 == "lp-g1" && $8 == "no" && $10 != "" {
  s += $10; n++ } END { printf "%.17g", s / n }' st/scottknott.csv)
expect_in "$html" "<tr><td>lp-g1</td><td>\{&quot;generators&quot;:1,&quot;voting&quot;:&quot;none&quot;\}</td><td>(<strong>)?$(fmt "$mre")(</strong>)?</td><td>[0-9.]+</td>"
best=$(grep -E '<tr><td>(llm4perf \(default\)|lp-g1)</td><td>\{' "$html" |
       grep -oE '<td>(<strong>)?[0-9]+ of 8(</strong>)?</td>' | grep -oE '[0-9]+ ' )
[ "$(echo "$best" | wc -l)" -eq 2 ] && [ "$(echo "$best" | paste -sd+ | bc)" -ge 8 ] ||
  fail "best in X of 8 of the variants: $best"
! grep -q '<td>random+pruned</td><td>{}' "$html" || fail "a pruned treatment as a variant"
# LLM4Perf diagnostics: a table and a plot per system, a row per LLM4Perf
# treatment over its 6 campaigns; lrzip's llm4perf row recomputed from
# diagnostics.csv; lp-g1 (one generator, no voting) has no agreement
sed -n '/<h2 id="diagnostics">/,$p' "$html" > diag.html
sed -n '/<h3>lrzip<\/h3>/,/<\/table>/p' diag.html > diag-lrzip.html
read -r it pr dv <<<"$(awk -F, '$1 == "lrzip" && $3 == "llm4perf" && $4 == "no" {
  i += $7; p += $8; d += $14; n++
} END { printf "%.17g %.17g %.17g", i / n, p / n, d / n }' st/diagnostics.csv)"
expect_in diag-lrzip.html "<tr><td>llm4perf</td><td>6</td><td>$(fmt "$it")</td><td>$(fmt "$pr")</td>(<td>0</td>){3}<td>[0-9.]+</td><td>[0-9.]+</td><td>$(fmt "$dv")</td>"
expect_in diag-lrzip.html '<tr><td>lp-g1</td><td>6</td>(<td>[0-9.]+</td>){5}<td>–</td><td>–</td>'
[ "$(grep -c '<tr><td>l[lp][a-z0-9-]*</td><td>6</td>' diag.html)" -eq 4 ] ||
  fail "expected 2 LLM4Perf rows per system"
expect_in diag.html '<figure class="plot" id="diagnostics-lrzip">'
expect_in diag.html '<text>lp-g1: diversity</text>'
! grep -q '<th>role</th>' diag.html || fail "LLM usage without an LLM"
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
[ "$(ls md/r-plots/*.svg | wc -l)" -eq 14 ] || fail "expected 14 SVG files"
[ "$(ls md/r-plots/*.csv | wc -l)" -eq 14 ] || fail "expected 14 CSV files"
for f in error-toy-b-time-b-xgboost hv-lrzip-xgboost front-lrzip \
         influence-toy-b-time-b diagnostics-lrzip; do
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
expect_in md/r-plots/diagnostics-lrzip.csv '^series,budget,mean_distance,sd$'
expect_in md/r-plots/diagnostics-lrzip.csv '^lp-g1: novelty,20,0\.[0-9]+,$'
expect_in md/r.md '^## Sampler variants$'
expect_in md/r.md '^\| lp-g1 \| \{"generators":1,"voting":"none"\} \| '
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

# a study from before diagnostics.csv: a note says how to get it
cp -r st-before nodiag
rm nodiag/diagnostics.csv
run 0 "$BIN" report nodiag -o nodiag.html
expect_in out.txt '^report of nodiag: 12 plots, 11 tables'
expect_in nodiag.html '<h2 id="diagnostics">LLM4Perf diagnostics</h2>'
expect_in nodiag.html "<p class=\"note\">This study has no diagnostics.csv: .*Run the same &#39;llm4perf study&#39; command again"

# LLM usage (none with the builtin agent): with calls recorded for one
# role, a table of the role's totals per treatment follows
mkdir llm
cp -r st-before/. llm/
awk -F, 'BEGIN { OFS = "," }
  NR == 1 { for (k = 1; k <= NF; k++) c[$k] = k }
  NR > 1 && $1 == "lrzip" && $3 == "lp-g1" {
    $c["generate_calls"] = 3; $c["generate_tokens"] = 1200
    $c["generate_retries"] = 1; $c["generate_latency_s"] = 2.5 }
  { print }' st/diagnostics.csv > llm/diagnostics.csv
run 0 "$BIN" report llm -o llm.html
expect_in out.txt '^report of llm: 14 plots, 14 tables'
expect_in llm.html '<tr><td>lp-g1</td><td>generate</td><td>18</td><td>7200</td><td>6</td><td>15</td><td>0\.833</td></tr>'
[ "$(grep -c '<th>role</th>' llm.html)" -eq 1 ] || fail "expected one LLM usage table"

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
expect_in err.txt "cells.csv holds 40 of the 120 cells summary.json counts \(80 missing"
cp st/cells.csv bad/
sed '3s/^\(\([^,]*,\)\{6\}\)[^,]*/\1abc/' st/diagnostics.csv > bad/diagnostics.csv
run 1 "$BIN" report bad
one_line err.txt
expect_in err.txt "^llm4perf: error: bad/diagnostics\.csv:3: column 'iterations': 'abc' is not a number$"
[ ! -e bad/report.html ] || fail "a failed report left a page"
cp st/diagnostics.csv bad/
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
