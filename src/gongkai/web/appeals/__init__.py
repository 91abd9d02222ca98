"""Administrative review (行政复议) and litigation (行政诉讼) cases linked to applications; section 四 of the report."""
