"""gongkai (公开): government information disclosure annual reports as data."""

__version__ = "0.1.0"
