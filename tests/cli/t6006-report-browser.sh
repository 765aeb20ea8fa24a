#!/usr/bin/env bash
# Reports in a browser: headless Chromium renders the page of the tiny
# study of tests/data/report offline; the page's test hook finds its 14
# plots drawn with a non-zero size and no error, Chromium logs no console
# message, and a screenshot can be taken (docs/REPORT.md). A copy of the
# page with a script error and an outside image shows the hook and the
# log do catch errors. Needs gnuplot and chromium: skipped without them,
# except in CI (CI=true), where missing tools fail.
. "$(dirname "$0")/lib.sh"

need() {
  command -v "$1" >/dev/null && return 0
  [ "${CI:-}" = true ] && fail "$1 is missing (scripts/install-deps.sh)"
  skip "$1 not installed"
}
need gnuplot
need chromium

# chromium FILE ARGS...: render file:// FILE headless, offline, with a
# profile of its own; stdout in dom.html, stderr in chrome.txt
browse() {
  local page=$1; shift
  rm -rf profile
  timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --disable-background-networking --no-first-run \
    --user-data-dir="$WORK/profile" --virtual-time-budget=5000 \
    --enable-logging=stderr --v=0 "$@" "file://$WORK/$page" \
    >dom.html 2>chrome.txt || { cat chrome.txt; fail "chromium failed on $page"; }
}

run 0 "$BIN" study "$SRC/tests/data/report/study.json" --out st --jobs 2
run 0 "$BIN" report st -o report.html

browse report.html --dump-dom
expect_in dom.html '<body data-plots="14" data-errors="0">'
! grep -q 'CONSOLE' chrome.txt || { grep CONSOLE chrome.txt; fail "console messages"; }

# the hook and the log see a script error and a blocked outside image
sed 's|</main>|<script>no_such_function();</script><img src="https://example.invalid/x.png"></main>|' \
  report.html > broken.html
browse broken.html --dump-dom
expect_in dom.html '<body data-plots="14" data-errors="[1-9]'
expect_in chrome.txt 'CONSOLE.*no_such_function is not defined'
expect_in chrome.txt 'CONSOLE.*Content Security Policy'

# the README's screenshot command (docs/REPORT.md)
browse report.html --window-size=1200,2400 --screenshot="$WORK/shot.png"
[ -s shot.png ] || fail "no screenshot"
[ "$(head -c 8 shot.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  fail "shot.png is not a PNG"
