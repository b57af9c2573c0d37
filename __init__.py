"""kith: keep a professional network alive.

The repository root is the `kith` package: `kith.connectors` read sources, `kith.warehouse` stores
and derives, `kith.digests` decides and delivers, `kith.flows` orchestrates and holds the CLI,
`kith.models` the shared records, `kith.generator` the demo network.
"""
