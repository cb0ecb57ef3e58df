"""Provides the spiders, one module per source family (`name = "<site>"`, class `<Site>Spider`)."""
