"""`kith doctor` on a Google account: grant present, refreshable, scopes granted, APIs answering."""

from __future__ import annotations

from google_world import ADDRESS
from fake_google import CALENDAR_READONLY, GMAIL
from kith.flows.doctor import run_checks


def write_config(google, extra: str = "") -> None:
    (google.home / "kith.toml").write_text(
        f'[[accounts]]\nname = "google"\nkind = "google"\naddress = "{ADDRESS}"\n'
        f'api_endpoint = "{google.fake.url}"\n{extra}'
    )


def test_a_healthy_google_account_passes(google):
    write_config(google)
    google.sign_in(expired=True)  # refreshable is part of healthy
    assert run_checks(google.home) == []
    assert (google.fake.calls["profile"], google.fake.calls["events"]) == (1, 1)


def test_doctor_names_each_google_problem_with_its_fix(google):
    write_config(google)
    (google.home / "tokens" / "google.json").unlink()
    assert run_checks(google.home) == ["account 'google': not signed in to Google; run `kith auth google google`"]

    write_config(google, '\n[digest]\nmethod = "gmail"\naccount = "google"\n')
    google.sign_in([GMAIL + "readonly", CALENDAR_READONLY])
    assert run_checks(google.home) == [
        "account 'google': the Google sign-in lacks gmail.send that the settings need; run `kith auth google google` to grant it"
    ]

    write_config(google)
    google.sign_in(expired=True)
    google.fake.revoked.add("refresh-stored")
    assert run_checks(google.home) == [
        "account 'google': Google refused the stored sign-in (invalid_grant: revoked, or a 7-day token of an "
        "unpublished OAuth app); run `kith auth google google`"
    ]

    google.sign_in()
    google.fake.stop()
    problems = run_checks(google.home)
    assert [p.split(": cannot reach Google")[0] for p in problems] == ["account 'google': Gmail", "account 'google': calendar 'primary'"]
