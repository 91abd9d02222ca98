#!/usr/bin/env bash
# The main job: the disclosure office's system with demo data at http://127.0.0.1:8000
# (data in $GONGKAI_DATA_DIR, default ./var). The bundled 七政街道 2023 report is checked first, then loaded
# as the office's history; `gongkai serve --demo` prints the demo accounts.
set -uo pipefail
cd "$(dirname "$0")/.."
example=$(.venv/bin/python -c 'import gongkai.examples as e; print(e.path("qizheng-2023"))')
echo "\$ gongkai check $example"
.venv/bin/gongkai check "$example"
echo
echo "\$ gongkai serve --demo --port ${PORT:-8000}"
echo "登录：http://127.0.0.1:${PORT:-8000}/accounts/login/  用户名 shenhe（审核人）或 dengji（登记员），密码 gongkai-demo"
exec .venv/bin/gongkai serve --demo --port "${PORT:-8000}"
