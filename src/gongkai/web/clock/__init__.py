"""The working-day calendar as data in the database, and the hook that recomputes deadlines when it changes."""
