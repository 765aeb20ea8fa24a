#!/usr/bin/env bash
# The main job on bundled data, offline: describe the lrzip and x264
# spaces, run a resumable random-sampling campaign on each through its
# table oracle, and export what was measured. Output goes to out/.
set -euo pipefail
bin=${1:-build/llm4perf}
cd "$(dirname "$0")/.."
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm

for spec in data/lrzip/lrzip.json data/x264/x264.json; do
  echo "== llm4perf space $spec"
  "$bin" space "$spec"
  echo
  echo "== llm4perf sample $spec --sampler random --budget 50"
  "$bin" sample "$spec" --sampler random --budget 50 --seed 1 --db out/demo.db
  echo
done

echo "== llm4perf export out/demo.db --list"
"$bin" export out/demo.db --list
"$bin" export out/demo.db --campaign 1 -o out/lrzip-sample.csv
"$bin" export out/demo.db --campaign 2 -o out/x264-sample.csv
echo
echo "first rows of out/lrzip-sample.csv:"
head -4 out/lrzip-sample.csv
