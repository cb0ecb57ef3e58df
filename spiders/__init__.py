"""Provides the spiders layer of sourcing."""
