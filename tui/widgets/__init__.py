"""Provides the review app's widgets and renderables."""
