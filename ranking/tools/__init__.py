"""Provides maintenance scripts of the ranking layer (not imported at run time)."""
