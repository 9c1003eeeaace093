#!/usr/bin/env bash
# Installs what is missing, builds, and starts MultiModelVideo. Arguments go to the app,
# e.g. scripts/run.sh --headless --port 9000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${MMV_BUILD_DIR:-build}/app/multimodelvideo" "$@"
