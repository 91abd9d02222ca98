"""Bodies (机关) in a hierarchy, the people who work for them and their roles, API tokens."""
