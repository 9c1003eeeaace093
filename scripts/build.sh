#!/usr/bin/env bash
# Configures (once) and builds MultiModelVideo in ./build with Ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${MMV_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${MMV_BUILD_TYPE:-RelWithDebInfo}" \
        ${MMV_CMAKE_ARGS:-}
fi
cmake --build "$build_dir" --parallel "$(nproc)"
