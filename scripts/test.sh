#!/usr/bin/env bash
# Installs what is missing, builds, checks the formatting and runs every test (ctest).
# Tests start their own servers (ours, redis-server) on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
scripts/check-format.sh
cd "${MMV_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
