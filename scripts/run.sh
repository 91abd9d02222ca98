#!/usr/bin/env bash
# The main job: check the bundled 七政街道 2023 report.
set -uo pipefail
cd "$(dirname "$0")/.."
example=$(.venv/bin/python -c 'import gongkai.examples as e; print(e.path("qizheng-2023"))')
echo "\$ gongkai check $example"
.venv/bin/gongkai check "$example"
status=$?
[ $status -le 1 ] && exit 0 || exit $status
