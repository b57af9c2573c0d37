"""Building records from fields the caller already typed, without validation.

Ingest builds one `Message` per message and signal detection one `Signal` per question or promise
found. Pydantic's `model_construct` skips validation but still walks every field for defaults and
aliases: measured here, 4-5 us a `Signal`, more than validating it (3-5 us); this way, about 2.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)
_set = object.__setattr__


def trusted(cls: type[Model], fields: dict[str, Any]) -> Model:
    """A `cls` holding `fields` as given: every field, each of the right type (the caller's promise;
    nothing checks it). `fields` becomes the record's own dict: the caller must not reuse it."""
    record = cls.__new__(cls)
    _set(record, "__dict__", fields)
    _set(record, "__pydantic_fields_set__", set(fields))
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record
