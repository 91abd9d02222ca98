#!/usr/bin/env bash
# Install the Debian packages gongkai needs (only when root and only what is missing).
# LibreOffice (Writer, Calc) for .doc/.wps/.xls/.et/.ods and DOCX->PDF, CJK fonts for PDF output, poppler-utils for the
# pdftotext baseline and pdffonts/pdftoppm checks, Chromium for browser tests, PostgreSQL for
# the database-layer tests, Redis for the two-instance shared-cache test, wrk as the load generator of bench/bench_portal.py.
set -euo pipefail
want=(libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-lxgw-wenkai poppler-utils chromium postgresql redis-server wrk)
[ "${GONGKAI_SKIP_APT:-}" = 1 ] && exit 0
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "gongkai: missing Debian packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "gongkai: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
