"""Provides the review app's screens, one per module."""
