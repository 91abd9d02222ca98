#!/usr/bin/env bash
# The whole suite. Exit 5 (no tests collected) is a failure here, as it is for CI.
# Then the web tests again against a real PostgreSQL that scripts/with-postgres.sh starts and stops
# (set GONGKAI_SKIP_POSTGRES=1 to skip that second run). The browser tests run once, in the first pass: they test
# pages, not the database layer, and the suite stays under 15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
if [ "${GONGKAI_SKIP_POSTGRES:-}" != 1 ] && [ $# -eq 0 ]; then
  echo "== tests/web on PostgreSQL"
  scripts/with-postgres.sh .venv/bin/python -m pytest tests/web -m "not browser"
fi
