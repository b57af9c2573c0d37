"""Deciding and delivering: signal detection, ranking, rendering, sending."""
