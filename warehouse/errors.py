"""Warehouse errors.

    WarehouseError
    ├── WarehouseBusy   another kith process holds the writer lock
    └── WarehouseFull   the disk is full; nothing of the failed batch was kept
"""


class WarehouseError(Exception):
    pass


class WarehouseBusy(WarehouseError):
    pass


class WarehouseFull(WarehouseError):
    pass
