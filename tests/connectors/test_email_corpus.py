"""Every real mail file in the shared corpora goes through its connector; what is unusable is counted."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kith.connectors.mailfiles import MailFileConnector
from kith.models.settings import FileAccount


def count_file(path: Path) -> tuple[int, dict[str, int]]:
    """(messages loaded, {skip reason: count}) for one file, through the matching connector."""
    kind = "mbox" if path.suffix == ".mbox" else "eml"
    connector = MailFileConnector(FileAccount(name="corpus", kind=kind, path=path))
    messages, reasons = 0, Counter()
    for stream in connector.streams():
        for batch in connector.fetch(stream, None):
            messages += len(batch.messages)
            reasons.update(skip.reason for skip in batch.skips)
    return messages, dict(reasons)


# Files that hold something unusable: what each gave and why the rest was set aside. The Enron
# mailboxes are absent: every one of their 4,717 messages loads.
SKIPPED = {
    'edge_cases/cpython_test_email/mailbox_01.mbox': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_05.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_11.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_18.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_19.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/cpython_test_email/msg_21.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_23.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_24.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_28.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_30.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_31.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_34.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_35.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_37.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_38.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_39.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_40.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_42.txt': (0, {'no usable Date header': 1}),
    'edge_cases/cpython_test_email/msg_43.txt': (0, {'no usable From address': 1}),
    'edge_cases/cpython_test_email/msg_45.txt': (0, {'no usable Date header': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/OLK_SRC_BODY_SECTION.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/gmail.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/hotmail.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/mail_ru.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/ms_outlook_2003.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/ms_outlook_2007.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/ms_outlook_2010.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/thunderbird.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/windows_mail.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/html_replies/yandex_ru.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/reply-separated-by-hr.html': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/P/johndoeexamplecom_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/P/johndoeexamplecom_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/P/unicode_msg': (0, {'no usable From address': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/camel_case_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/camel_case_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/camel_case_signature': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/jeff_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/jeff_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/jeff_signature': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/johndoeexamplecom_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/johndoeexamplecom_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/johndoeexamplecom_signature': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/long_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/long_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/long_signature': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/short_url_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/short_url_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/short_url_signature': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/sparse_body': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/sparse_sender': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/signature/emails/stripped/sparse_signature': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/standard_replies/iphone_reply_text': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/standard_replies/outlook.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mailgun_talon/tests/fixtures/standard_replies/sparrow_reply_text': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/error_emails/bad_encoded_subject.eml': (0, {'no usable From address': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/error_emails/invalid_subject_characters.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/error_emails/multiple_content_types.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/error_emails/multiple_invalid_content_dispositions.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/error_emails/multiple_references_with_one_invalid.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/multi_charset/japanese.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/multi_charset/japanese_iso_2022.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/rfc2822/example13.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/rfc6532/utf8_headers.eml': (0, {'no usable Date header': 1}),
    'edge_cases/mikel_mail/spec/fixtures/emails/sample_output_multipart': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/spamscope_mail-parser/tests/mails/mail_outlook_1': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/correct_sig.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_1.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_2.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_3.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_4.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_5.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_6.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_7.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_1_8.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_2_1.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_2_2.txt': (0, {'no usable Date header': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_2_3.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_BlackBerry.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_bullets.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_gmail.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_headers_no_delimiter.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_iPhone.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_multi_word_sent_from_my_mobile_device.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_one_is_not_on.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_partial_quote_header.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_sent_from_my_not_signature.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/email_sig_delimiter_in_middle_of_line.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/greedy_on.txt': (0, {'no RFC 5322 header block': 1}),
    'edge_cases/zapier_email-reply-parser/test/emails/pathological.txt': (0, {'no RFC 5322 header block': 1}),
}

# Messages loaded per corpus folder.
MESSAGES = {'edge_cases/cpython_test_email': 29, 'edge_cases/mailgun_talon': 13, 'edge_cases/mikel_mail': 94, 'edge_cases/spamscope_mail-parser': 22, 'edge_cases/zapier_email-reply-parser': 0, 'enron/calendar_folders': 1754, 'enron/mailboxes': 2963}


def test_every_mail_file_goes_through_its_connector(corpora: Path) -> None:
    root = corpora / "email"
    files = sorted(p for p in root.rglob("*") if p.is_file())
    counts = {str(p.relative_to(root)): count_file(p) for p in files}
    assert len(counts) == 328
    assert {name: result for name, result in counts.items() if result[1]} == SKIPPED
    per_folder: Counter[str] = Counter()
    for name, (messages, _) in counts.items():
        per_folder["/".join(name.split("/")[:2])] += messages
    assert dict(per_folder) == MESSAGES
