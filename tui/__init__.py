"""Provides the tui layer of sourcing."""
