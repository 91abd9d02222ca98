"""The public site (政府信息公开专栏): per body the standard site map of portal.md §1, the catalog, search,
the 指南, online applications with their status, and the published annual reports. Everything here reads
through ``catalog.selectors.items_public`` and ``reports.selectors.reports_published``: nothing unreviewed,
no internal notes, no applicant's personal data."""
