"""Records built without validation (`models.trusted`, as ingest builds them) behave as validated ones."""

from datetime import date, datetime

from kith.models import Address, Message, Signal


def test_a_trusted_signal_is_the_validated_signal():
    fields = dict(account="a", source_id="x@1", kind="question", address="dana@acme.com", happened_on=date(2026, 11, 3),
                  evidence="Could you send the deck?", confidence=0.6, company=None, title=None)
    trusted, validated = Signal.trusted(**fields), Signal(**fields)
    assert trusted == validated
    assert trusted.model_dump() == validated.model_dump()
    assert trusted.model_copy(update={"title": "CFO"}).title == "CFO"


def test_a_trusted_message_is_the_validated_message_and_keeps_its_body_out_of_dumps():
    dana = Address(email="dana@acme.com", name="Dana Kim")
    fields = dict(account="a", source_id="inbox.mbox@0", stream="inbox.mbox", message_id="<1@acme.com>", in_reply_to=None,
                  references=[], thread_id="<1@acme.com>", subject="Deck", sent_at=datetime(2026, 11, 3, 9, 30),
                  sender=dana, to=[Address(email="me@example.com")], cc=[], bcc=[], folder="inbox", list_id=None,
                  list_unsubscribe=False, precedence=None, auto_submitted=None, x_from=None, x_to=None, link=None,
                  body_text="Could you send the deck?")
    trusted, validated = Message.trusted(**fields), Message(**fields)
    assert trusted == validated
    assert trusted.model_dump() == validated.model_dump()
    assert "body_text" not in trusted.model_dump()
