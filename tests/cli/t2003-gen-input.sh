#!/usr/bin/env bash
# llm4perf gen-input: each kind has the size asked for and the same seed
# gives the same bytes; bad kinds and sizes are usage errors.
. "$(dirname "$0")/lib.sh"

run 0 "$BIN" gen-input text --size 50000 -o a.txt
run 0 "$BIN" gen-input text --size 50000 -o b.txt
run 0 "$BIN" gen-input text --size 50000 --seed 2 -o c.txt
[ "$(stat -c %s a.txt)" -eq 50000 ] || fail "text size"
cmp -s a.txt b.txt || fail "same seed, different text"
cmp -s a.txt c.txt && fail "another seed, same text"
grep -q ' INFO worker-' a.txt || fail "no log lines in the text"

run 0 "$BIN" gen-input binary --size 100000 -o d.bin
[ "$(stat -c %s d.bin)" -eq 100000 ] || fail "binary size"
run 0 "$BIN" gen-input yuv --width 32 --height 16 --frames 3 -o v.yuv
[ "$(stat -c %s v.yuv)" -eq $((32 * 16 * 3 / 2 * 3)) ] || fail "yuv size"
run 0 "$BIN" gen-input sql --size 300 -o w.sql
[ "$(grep -c '^INSERT INTO orders' w.sql)" -eq 300 ] || fail "sql rows"
if command -v sqlite3 >/dev/null; then
  sqlite3 -bail w.db ".read w.sql" > /dev/null || fail "the workload does not run"
  [ "$(sqlite3 w.db 'SELECT count(*) FROM orders')" -eq 283 ] ||
    fail "rows left after the deletes"
fi

run 2 "$BIN" gen-input pictures --size 10 -o x
expect_in err.txt "unknown input kind 'pictures' \(known: text, binary, yuv, sql\)"
run 2 "$BIN" gen-input yuv --width 33 --height 16 --frames 1 -o x
expect_in err.txt 'width and height must be even'
run 2 "$BIN" gen-input text -o x
expect_in err.txt 'size must be in'
[ ! -e x ] || fail "a file was written after an error"
