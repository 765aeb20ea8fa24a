#!/usr/bin/env bash
# The main job on bundled data, offline, with the built-in agent: the
# LLM4Perf sampler chooses 50 lrzip configurations to measure (through the
# table oracle), XGBoost and DeepPerf models are trained on them and
# checked by cross-validation and on 30 held-out configurations, and the
# predicted Pareto-optimal configurations are listed. Output goes to out/.
set -euo pipefail
bin=${1:-build/llm4perf}
cd "$(dirname "$0")/.."
mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm

echo "== llm4perf space data/lrzip/lrzip.json"
"$bin" space data/lrzip/lrzip.json
echo
echo "== llm4perf run data/lrzip/lrzip.json --budget 50 --holdout 30"
"$bin" run data/lrzip/lrzip.json --budget 50 --holdout 30 --db out/demo.db
echo
echo "== llm4perf show out/demo.db --campaign 1 (first lines)"
"$bin" show out/demo.db --campaign 1 > out/show.txt
head -40 out/show.txt # (a pipe into head would end show with SIGPIPE)
"$bin" export out/demo.db --campaign 1 -o out/lrzip-sample.csv
echo
echo "measured sample: out/lrzip-sample.csv; run database: out/demo.db;"
echo "what the sampler decided, in full: out/show.txt"
