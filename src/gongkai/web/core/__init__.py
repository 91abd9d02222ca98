"""Shared plumbing of the web layer: errors and their HTTP mapping, the API root, base templates, navigation."""
