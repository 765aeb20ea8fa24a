#!/usr/bin/env bash
# Every C source and header of the project is formatted as .clang-format
# says (the tree is kept formatted: run "clang-format -i FILE" on what you
# touch). Lists the files that differ; skips when clang-format is absent.
set -euo pipefail
src=${L4P_SRC:?L4P_SRC names the source tree}
command -v clang-format >/dev/null || { echo "clang-format not installed"; exit 77; }
cd "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.h')
else
  mapfile -t files < <(find src include tests bench -name '*.[ch]' | sort)
fi
unformatted=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
if [ ${#unformatted[@]} -ne 0 ]; then
  echo "not formatted (clang-format -i to fix):"
  printf '  %s\n' "${unformatted[@]}"
  exit 1
fi
echo "${#files[@]} files formatted"
