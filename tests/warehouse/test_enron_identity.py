"""Identity resolution on real Enron mailboxes: the merges the headers prove, and the owner's addresses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.flows.syncing import sync_accounts
from kith.models.settings import FileAccount, Settings, UserSettings
from kith.warehouse import open_warehouse


def sync_mailbox(tmp_path: Path, corpora: Path, owner: str, files: list[str]):
    mail = tmp_path / "mail"
    mail.mkdir()
    for name in files:
        (mail / name).symlink_to(corpora / "email/enron/mailboxes" / name)
    settings = Settings(
        home=tmp_path,
        user=UserSettings(addresses=[owner]),
        accounts=[FileAccount(name="enron", kind="mbox", path=mail)],
    )
    wh = open_warehouse(settings.database)
    sync_accounts(wh.conn, settings)
    return wh


def test_phillip_allen_mailbox(tmp_path: Path, corpora: Path) -> None:
    files = ["enron.allen-p._sent_mail.mbox", "enron.allen-p.inbox.mbox"]
    with sync_mailbox(tmp_path, corpora, "phillip.allen@enron.com", files) as wh:
        # 377 distinct addresses are 372 people.
        assert wh.query("SELECT count(*), count(DISTINCT person_id) FROM identities") == [(377, 372)]
        # His own addresses in every form: the Enron short forms and his private mail, proven by
        # the name "Phillip K Allen" that the headers show for each.
        assert wh.query(
            "SELECT list(address ORDER BY address) FROM identities i JOIN people p USING (person_id) WHERE p.is_self"
        ) == [(["pallen70@hotmail.com", "pallen@ect.enron.com", "pallen@enron.com", "phillip.allen@enron.com"],)]
        assert wh.query(
            "SELECT list(address ORDER BY address) FROM identities GROUP BY person_id "
            "HAVING count(*) > 1 AND NOT bool_or(evidence = 'user') ORDER BY 1"
        ) == [
            (["gthorse@about-cis.com", "gthorse@keyad.com"],),  # Greg Thorse
            (["llewter@austin.rr.com", "llewter@palm.net"],),  # Larry Lewter
        ]
        assert wh.query("SELECT display_name FROM people WHERE is_self") == [("Phillip K Allen",)]


def test_kenneth_lay_mailboxes(tmp_path: Path, corpora: Path) -> None:
    files = ["enron.lay-k.inbox.mbox", "enron.lay-k.sent.mbox", "enron.lay-k.elizabeth.mbox", "enron.lay-k.family.mbox"]
    with sync_mailbox(tmp_path, corpora, "kenneth.lay@enron.com", files) as wh:
        assert wh.query("SELECT count(*), count(DISTINCT person_id) FROM identities") == [(3258, 3206)]
        assert wh.query(
            "SELECT list(address ORDER BY address) FROM identities i JOIN people p USING (person_id) WHERE p.is_self"
        ) == [(sorted(["ken.lay@enron.com", "ken_lay@enron.com", "ken_lay@enron.net", "kenneth.lay@enron.com",
                       "kenneth_lay@enron.com", "kenneth_lay@enron.net", "klay@enron.com"]),)]
        merged = wh.query(
            "SELECT list(address ORDER BY address) FROM identities GROUP BY person_id "
            "HAVING count(*) > 1 AND NOT bool_or(evidence = 'user') ORDER BY 1"
        )
        assert [addresses for (addresses,) in merged] == LAY_MERGES


# People in Kenneth Lay's mail whose several addresses the headers prove. Most `@compaq.com` /
# `@enron.com` pairs are one person: Enron's export rewrote external senders to @enron.com.
LAY_MERGES = [
    ['amanda.day@enron.com', 'amanda@global.t-bird.edu'],
    ['annat@thotcapital.com', 'annatjain@hotmail.com'],
    ['barbara.sain@compaq.com', 'barbara.sain@enron.com'],
    ['beau.herrold@enron.com', 'beau@layfam.com', 'beau@rrhinvestments.com'],
    ['becky.hyatt@compaq.com', 'becky.hyatt@enron.com'],
    ['bob.napier@compaq.com', 'bob.napier@enron.com'],
    ['c.farley@trade-ranger.com', 'claire.farley@trade-ranger.com'],
    ['candy.newton@compaq.com', 'candy.newton@enron.com'],
    ['christie.patrick@enron.com', 'christie_patrick@enron.com'],
    ['cullum.david@enron.com', 'cullum_david@msn.com'],
    ['danon.maynard@compaq.com', 'danon.maynard@enron.com'],
    ['david.herrold@enron.com', 'dherrold@enlineresources.com'],
    ['debbie.mccabe@compaq.com', 'debbie.mccabe@enron.com'],
    ['grace.trent@compaq.com', 'grace.trent@enron.com'],
    ['howard.elias@compaq.com', 'howard.elias@enron.com'],
    ['jeff.clarke@compaq.com', 'jeff.clarke@enron.com'],
    ['kay.hammonds@compaq.com', 'kay.hammonds@enron.com'],
    ['kim.burleigh@compaq.com', 'kim.burleigh@enron.com'],
    ['linda.auwers@compaq.com', 'linda.auwers@enron.com'],
    ['lisa.rohde@compaq.com', 'lisa.rohde@enron.com'],
    ['mark.lay@enron.com', 'mark.lay@solutioncompany.com', 'mark@layfamily.com', 'mark_lay@enron.com'],
    ['mary.mcdowell@compaq.com', 'mary.mcdowell@enron.com'],
    ['michael.capellas@compaq.com', 'michael.capellas@enron.com'],
    ['mike.winkler@compaq.com', 'mike.winkler@enron.com'],
    ['natalie@layfamily.com', 'nlay@att.net', 'nlay@worldnet.att.net'],
    ['peter.blackmore@compaq.com', 'peter.blackmore@enron.com'],
    ['regina.cormier@compaq.com', 'regina.cormier@enron.com'],
    ['renee.klages@compaq.com', 'renee.klages@enron.com'],
    ['roberta.conklin@compaq.com', 'roberta.conklin@enron.com'],
    ['robyn.vermeil@enron.com', 'robyn@layfam.com'],
    ['rod@canion.com', 'rodc@insource.com'],
    ['rosalee.fleming@enron.com', 'rosalee_fleming@enron.com'],
    ['rsant@aesc.com', 'rsant@summitfdn.org'],
    ['sally.keepers@enron.com', 'sally_keepers@enron.com'],
    ['scott_yeager@enron.net', 'syeager@fyi-net.com'],
    ['shane.robison@compaq.com', 'shane.robison@enron.com'],
    ['sharon.lay@travelpark.com', 'sharon@travelpark.com'],
    ['sostrow@bayou.uh.edu', 'sostrow@uh.edu'],
    ['susan.gleason@compaq.com', 'susan.gleason@enron.com'],
    ['tbunge@texasgbc.org', 'tonda_bunge@yahoo.com'],
    ['tom.siekman@compaq.com', 'tom.siekman@enron.com'],
    ['yvonne.jackson@compaq.com', 'yvonne.jackson@enron.com'],
]


@pytest.mark.parametrize(
    ("name", "address", "proven"),
    [
        ("Phillip K Allen", "pallen@enron.com", True),
        ("Allen, Phillip K.", "phillip.allen@enron.com", True),
        ("Phillip K Allen", "phillip_allen@enron.com", True),
        ("Phillip K Allen", "allen@enron.com", False),
        ("Tim Belden/HOU/ECT@ECT", "tim.belden@enron.com", False),  # a Lotus form is not a name
        ("José Núñez", "jose.nunez@x.org", True),
    ],
)
def test_names_proven_by_local_parts(name: str, address: str, proven: bool) -> None:
    from kith.warehouse.identity import name_key, name_proven_by

    key = name_key(name)
    assert (key is not None and name_proven_by(key, address)) is proven


def test_address_normalisation() -> None:
    from kith.warehouse.identity import normalize_address

    assert [
        normalize_address(a)
        for a in ["Dana.Kim+news@GMail.com", "danakim@googlemail.com", "ops+alerts@corp.io", "<x@y.z>"]
    ] == ["danakim@gmail.com", "danakim@gmail.com", "ops@corp.io", "x@y.z"]
