#!/usr/bin/env bash
# Installs everything MultiModelVideo needs on Debian 12 (run as root): the Debian packages
# for building, running and testing, and the npm packages the tests use (npm ci against
# the committed lock file). Idempotent: when everything is present it only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    # build
    cmake ninja-build g++ pkg-config git
    qt6-base-dev qt6-base-private-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-translations-l10n libgl-dev
    libhttp-parser-dev libhiredis-dev libqrencode-dev
    libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libswresample-dev
    libopencv-dev opencv-data
    # run and test
    redis-server xvfb xauth clang-format ffmpeg
    chromium opencv-doc python3-imageio
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: run as root (or with sudo) to install packages" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages for the tests, reinstalled only when the lock file changed.
stamp=node_modules/.mmv-lock-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > "$stamp"
fi
echo "setup: all dependencies present"
