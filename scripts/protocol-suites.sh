#!/usr/bin/env bash
# Runs the official Engine.IO and Socket.IO protocol test suites against our protocol
# fixture (tests/fixtures/protocolfixture.cpp). The suites are not part of this repository:
# pass the paths of their test-suite folders (from github.com/socketio/engine.io-protocol
# and github.com/socketio/socket.io-protocol); their npm dependencies are installed there.
#   scripts/protocol-suites.sh /path/to/engine.io-protocol/test-suite /path/to/socket.io-protocol/test-suite
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
    sed -n '2,6p' "$0"
    exit 1
fi
engine_suite=$(realpath "$1")
socket_suite=$(realpath "$2")
build_dir=${MMV_BUILD_DIR:-build}
cmake --build "$build_dir" --target protocol_fixture >/dev/null
fixture="$build_dir/tests/fixtures/protocol_fixture"

run_suite() {
    local mode=$1 suite=$2
    (cd "$suite" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
    "$fixture" --mode "$mode" --port 3000 &
    local pid=$!
    trap 'kill $pid 2>/dev/null || true' RETURN
    for _ in $(seq 50); do
        (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null && break
        sleep 0.1
    done
    (cd "$suite" && npx mocha test-suite.js)
}

run_suite engineio "$engine_suite"
run_suite socketio "$socket_suite"
