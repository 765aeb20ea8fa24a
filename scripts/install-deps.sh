#!/usr/bin/env bash
# Install the Debian packages llm4perf needs, by name, skipping those
# already present. Runs apt-get (through sudo when not root).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libjansson-dev libgsl-dev libsqlite3-dev libxml2-dev
  libxgboost-dev libopenblas-dev libcurl4-openssl-dev
  libcmocka-dev clang-format
  sqlite3 zstd
  gnuplot-nox chromium fonts-liberation
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
