"""Provides pure parsing functions, one module per source: payload in, records out (no Scrapy)."""
