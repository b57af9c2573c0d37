"""Prefect flows and the `kith` command line. Thin: order, retries, progress; the work lives below."""
