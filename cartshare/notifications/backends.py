"""Development mail: with EMAIL_HOST unset every mail is written to the console and to a file
under var/mail/, so it can be read (and its links followed) without a mail server."""

from __future__ import annotations

import sys

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Django's file backend (its directory: the mailer's `file_path` option from Django 6.1 on,
    EMAIL_FILE_PATH before, config/mailers.py) that also prints each mail. A subclass, not a
    backend holding a console and a file backend: Django 6.1 deprecates creating backends
    other than through `django.core.mail.mailers`."""

    def write_message(self, message: EmailMessage) -> None:
        super().write_message(message)
        sys.stdout.write(message.message().as_bytes().decode("utf-8", errors="replace") + "\n")
        sys.stdout.write("-" * 79 + "\n")
        sys.stdout.flush()
