"""The audit log: every state change, who, when, before and after. Append-only."""
