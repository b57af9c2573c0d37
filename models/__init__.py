"""Pydantic records shared by every layer of kith. Imports nothing of ours."""

from models.batches import Batch, Skip
from models.mail import Address, Message
from models.meetings import Attendee, Meeting
from models.settings import (
    AccountSettings,
    DigestSettings,
    Settings,
    SettingsError,
    UserSettings,
    load_settings,
)
from models.signals import Signal

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
