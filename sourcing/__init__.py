"""Provides the core of sourcing: records, store, config, sources policy, imports, exports, CLI.

Importing this package must stay cheap: no torch, Textual or Scrapy here.
"""

__version__ = "0.1.0"
