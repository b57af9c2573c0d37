-- Messages from files and IMAP are keyed by where their source keeps them: mbox `file@offset`, maildir
-- `folder/unique name`, .eml the file's path, IMAP `folder:UIDVALIDITY:UID`. Before, files were
-- keyed by Message-ID and IMAP by `UIDVALIDITY:UID` or Gmail's X-GM-MSGID, which let a stranger's
-- reused Message-ID, or two folders sharing a UIDVALIDITY, overwrite a message.
--
-- An old key cannot be turned into a new one (a row does not know its mbox offset), and the
-- overwritten messages are only in the sources. So the mail of these accounts is read again:
-- their rows, signals, skips and cursors go, and the next sync reads every mail stream of theirs
-- from the start. Google and Microsoft accounts (keyed by the API's own ids, unchanged),
-- calendars, your overrides and merges, and digest history stay.
DELETE FROM message_addresses WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM messages WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM signals WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM skipped_records WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
DELETE FROM sync_state WHERE account IN (SELECT name FROM accounts WHERE kind IN ('mbox', 'maildir', 'eml', 'imap'));
