"""The mail settings in the names the running Django reads: from Django 6.1 on one `MAILERS`
alias, "default", with the backend's OPTIONS; before, EMAIL_BACKEND and the EMAIL_* settings.

Django 6.1 deprecates the EMAIL_* settings (a warning, an error under pytest) and refuses them
next to MAILERS, so the settings and the tests that point mail elsewhere build both through
`mail_settings` (docs/decisions/next-django-job.md)."""

from __future__ import annotations

import django

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The development backend: every mail to the console and to a file (option file_path).
CONSOLE_AND_FILE_BACKEND = "cartshare.notifications.backends.ConsoleAndFileBackend"

# The mailer OPTIONS Cartshare uses and the setting each one replaces before Django 6.1.
SETTING_OF_OPTION = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "timeout": "EMAIL_TIMEOUT",
    "file_path": "EMAIL_FILE_PATH",
}


def mailers_supported() -> bool:
    return django.VERSION >= (6, 1)


def mail_settings(backend: str, **options: object) -> dict[str, object]:
    """The settings that send mail through `backend` with `options` (mailer OPTIONS names:
    host, port, username, password, use_tls, timeout, file_path)."""
    if mailers_supported():
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": options}}}
    return {"EMAIL_BACKEND": backend} | {
        SETTING_OF_OPTION[name]: value for name, value in options.items()
    }
