"""Without EMAIL_HOST every mail is printed and written to a file under var/mail/, so a developer
reads it (and follows its links) without a mail server; the same on Django 5.2 and 6.1."""

from __future__ import annotations

from cartshare.sharing.services import cart_share_create
from config.mailers import CONSOLE_AND_FILE_BACKEND
from tests.mail_sink import run_worker, use_mail


def test_a_mail_is_printed_and_written_to_the_mail_folder(world, settings, tmp_path, capsys):
    folder = tmp_path / "mail"
    use_mail(settings, CONSOLE_AND_FILE_BACKEND, file_path=str(folder))
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="READ_ONLY",
    )

    run_worker()

    printed = capsys.readouterr().out
    assert "To: greta@acme.example" in printed
    assert "shared the cart" in printed
    (written,) = folder.iterdir()
    assert "To: greta@acme.example" in written.read_text()
    assert "shared the cart" in written.read_text()
