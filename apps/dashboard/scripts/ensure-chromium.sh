#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests when it is missing (CI calls this before the tests).
# The tests drive /usr/bin/chromium through playwright-core; set CHROMIUM_PATH to use another binary instead.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
  exit 1
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Chromium is missing and installing it needs root: apt-get install chromium" >&2
    exit 1
  fi
}

echo "installing Chromium (apt-get install chromium) for the dashboard's browser tests"
run_as_root apt-get update -qq
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$chromium" --version
