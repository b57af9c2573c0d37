"""Pydantic records shared by every layer of kith. Imports nothing of ours."""

from kith.models.batches import Batch, Skip
from kith.models.mail import Address, Message
from kith.models.meetings import Attendee, Meeting
from kith.models.settings import (
    AccountSettings,
    DigestSettings,
    Settings,
    SettingsError,
    UserSettings,
    load_settings,
)
from kith.models.signals import Signal

__all__ = [
    "AccountSettings",
    "Address",
    "Attendee",
    "Batch",
    "DigestSettings",
    "Meeting",
    "Message",
    "Settings",
    "SettingsError",
    "Signal",
    "Skip",
    "UserSettings",
    "load_settings",
]
