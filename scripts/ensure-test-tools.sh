#!/usr/bin/env bash
# Installs the system tools the tests drive for real: Debian's chromium (browser tests), coturn
# (TURN tests) and Node.js (the web client's pure JavaScript modules, `node --test`). As root it installs what is missing; otherwise it says, in one line, what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
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
