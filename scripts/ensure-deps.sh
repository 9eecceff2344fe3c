#!/bin/sh
# Installs the npm dependencies on first use, so `npm run sim` and `npm test` work on a fresh clone.
set -e
cd "$(dirname "$0")/.."
if [ ! -d node_modules/typescript ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deskphone: installing npm dependencies (first run)" >&2
  npm ci --no-audit --no-fund >&2
fi
