"""Warehouse errors.

    WarehouseError
    ├── WarehouseBusy      another process is writing the warehouse (or has it open): try later
    ├── WarehouseCorrupt   the file is damaged or not a DuckDB file: move it aside and resync
    ├── WarehouseMissing   there is no warehouse yet: sync first
    └── WarehouseFull      the disk is full; nothing of the failed batch was kept
"""


class WarehouseError(Exception):
    pass


class WarehouseBusy(WarehouseError):
    pass


class WarehouseCorrupt(WarehouseError):
    pass


class WarehouseMissing(WarehouseError):
    pass


class WarehouseFull(WarehouseError):
    pass
