#!/usr/bin/env bash
# Installs the system tools the tests drive for real: Debian's chromium (browser tests), coturn
# (TURN tests) and npm (which fetches the official AsyncAPI JSON Schema, @asyncapi/specs, into
# .tools/asyncapi for the AsyncAPI document's validation test). As root it installs what is
# missing; otherwise it says, in one line, what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
ASYNCAPI_SPECS="@asyncapi/specs@6.11.1"
fetch_asyncapi_schema() {
  [ -f ".tools/asyncapi/node_modules/@asyncapi/specs/schemas/3.0.0-without-\$id.json" ] && return 0
  command -v npm >/dev/null 2>&1 || return 0
  npm install --prefix .tools/asyncapi --no-save --no-audit --no-fund "$ASYNCAPI_SPECS" >/dev/null
}
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then fetch_asyncapi_schema; exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (Debian packages) for the browser and TURN tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # coturn's package may start a system TURN server; the tests run their own.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi
else
  echo "missing for the browser/TURN tests: sudo apt-get install ${missing[*]}  (those tests are skipped)"
fi
fetch_asyncapi_schema
