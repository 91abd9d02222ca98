#!/usr/bin/env bash
# The whole suite. Exit 5 (no tests collected) is a failure here, as it is for CI.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
