"""Applications (依申请公开): registration, the statutory clock, decisions, fees, reply letters, the ledger."""
