#!/usr/bin/env bash
# Installs the Debian packages lode's build needs, if any are missing.
set -euo pipefail
pkgs=(cmake g++ ninja-build liblz4-dev libxxhash-dev libssl-dev libgtest-dev libbenchmark-dev)
# The fuzz targets (scripts/fuzz.sh) need clang and its libFuzzer runtime.
if [ "${LODE_NEED_CLANG:-0}" = 1 ]; then pkgs+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
