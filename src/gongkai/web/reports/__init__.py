"""年报: the annual report of a body composed from the ledger and the catalog, checked, reviewed and published."""
