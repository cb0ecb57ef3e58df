"""Provides the ranking layer of sourcing."""
