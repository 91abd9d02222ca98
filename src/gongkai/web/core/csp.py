"""Exceptions to the Content-Security-Policy (settings ``CONTENT_SECURITY_POLICY``), each on the views that need it.

``report_tables``: pages that show a report's tables as rendered by :mod:`gongkai.write` (the portal's report page,
the composer, the supervision roll-up). Their ``<col style="width:…%">`` give the columns the widths of the
official form, computed per table; the policy lets such style *attributes* through on these pages only (never
scripts, never ``<style>`` elements).
"""
from __future__ import annotations

from csp.decorators import csp_update

report_tables = csp_update({"style-src-attr": ["'unsafe-inline'"]})
