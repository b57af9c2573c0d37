"""The DuckDB warehouse: schema, loading, identity resolution, views. Never calls a network."""

from warehouse.errors import WarehouseBusy, WarehouseError
from warehouse.store import Warehouse, open_warehouse

__all__ = ["Warehouse", "WarehouseBusy", "WarehouseError", "open_warehouse"]
