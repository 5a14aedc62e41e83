#!/usr/bin/env bash
# The default test run (`make test`), as two pytest processes side by side: every browser test
# (the web client's page tests, tests/e2e, marked `e2e` by tests/conftest.py, and the services'
# few marked `browser`) and everything else, so the two halves take about as long. Much of a browser test is
# waiting on a page, a socket or a timer, so on two cores the two halves overlap well: the run
# takes about as long as its longer half instead of their sum. Each half is a pytest session of
# its own (its own nats-server and suites, its own temporary directories). The page tests'
# report is printed after the other's; the run fails if either half does.
# Usage: scripts/run-tests.sh [pytest arguments, e.g. -k audit]
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
browser_log=$(mktemp -t parley-browser-tests.XXXXXX)
trap 'rm -f "$browser_log"' EXIT
"$PY" -m pytest -m "(e2e or browser) and not slow" -p no:cacheprovider "$@" > "$browser_log" 2>&1 &
browser=$!
"$PY" -m pytest -m "not e2e and not browser and not slow" "$@"
rest=$?
wait "$browser"
browser_status=$?
echo
echo "============================ web client page tests ============================"
cat "$browser_log"
# pytest exits 5 when a half selects no test (a -k that matches only the other half).
[[ $rest -eq 5 ]] && rest=0
[[ $browser_status -eq 5 ]] && browser_status=0
exit $(( rest != 0 || browser_status != 0 ))
