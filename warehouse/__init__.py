"""The DuckDB warehouse: schema, loading, identity resolution, views. Never calls a network."""

from kith.warehouse.errors import WarehouseBusy, WarehouseError
from kith.warehouse.store import Warehouse, ensure_not_busy, open_warehouse

__all__ = ["Warehouse", "WarehouseBusy", "WarehouseError", "ensure_not_busy", "open_warehouse"]
