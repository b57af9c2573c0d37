-- Messages are keyed by where their source keeps them: mbox `file@offset`, maildir
-- `folder/unique name`, .eml the file's path, IMAP `folder:UIDVALIDITY:UID`. Before, files were
-- keyed by Message-ID and IMAP by `UIDVALIDITY:UID` or Gmail's X-GM-MSGID, which let a stranger's
-- reused Message-ID, or two folders sharing a UIDVALIDITY, overwrite a message.
--
-- An old key cannot be turned into a new one (a row does not know its mbox offset), and the
-- overwritten messages are only in the sources. So mail is read again: the mail accounts' rows,
-- signals, skips and cursors go, and the next sync reads every mail stream from the start.
-- Calendars, your overrides and merges, and digest history stay.
DELETE FROM signals WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM skipped_records WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM sync_state WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM message_addresses;
DELETE FROM messages;
