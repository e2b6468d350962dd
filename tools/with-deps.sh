#!/usr/bin/env bash
# Runs a command once the project's dependencies are installed, so `npm run demo` and
# `npm test` work on a fresh clone: the first run installs exactly what package-lock.json says.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
exec "$@"
