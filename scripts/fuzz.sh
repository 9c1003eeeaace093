#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang in build-fuzz and runs each for a
# bounded time. New corpus entries go to build-fuzz/fuzz-corpus/<target>, crashes to
# build-fuzz/fuzz-artifacts/<target>. Exits non-zero if any target found a problem.
#
# Usage: scripts/fuzz.sh [seconds per target, default 60]
# Needs clang and libclang-rt-14-dev (apt-get install clang libclang-rt-14-dev).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
targets=(enginepayload siodecoder)

cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMMV_BUILD_TESTS=ON \
    -DMMV_FUZZ=ON
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

status=0
for target in "${targets[@]}"; do
    corpus="$build/fuzz-corpus/$target"
    artifacts="$build/fuzz-artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    echo "== fuzz_$target for ${seconds}s"
    # -timeout catches super-linear inputs; the first corpus directory receives new inputs.
    if ! (cd "$artifacts" && "$build/tests/fuzz/fuzz_$target" \
            -max_total_time="$seconds" -timeout=5 -max_len=16384 -rss_limit_mb=2048 \
            -print_final_stats=1 \
            -dict="$root/tests/fuzz/$target.dict" \
            -artifact_prefix="$artifacts/" \
            "$corpus" "$root/tests/fuzz/corpus/$target"); then
        echo "fuzz_$target FAILED: see $artifacts" >&2
        status=1
    fi
done
exit "$status"
