#!/usr/bin/env bash
# Fails when a C++ file of ours is not formatted with the repository's .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if ((${#files[@]})); then
    clang-format --dry-run --Werror "${files[@]}"
fi
echo "format: ${#files[@]} files checked"
