"""Connectors: one per kind of source. Each yields `models.Batch`es and never touches DuckDB."""
