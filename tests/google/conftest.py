"""Fixtures for the Google tests (defined in google_world.py, with the helpers tests import)."""

from google_world import fake, google  # noqa: F401  (pytest finds fixtures by name here)
