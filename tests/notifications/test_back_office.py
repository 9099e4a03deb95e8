"""The back office shows notifications and the mail queue with each mail's state and error, and
sends a failed mail again (through the worker and a real SMTP server)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cartshare.comments.services import comment_create
from cartshare.notifications.models import Mail, MailStatus
from cartshare.sharing.services import cart_share_create
from tests.mail_sink import free_port, run_worker, use_smtp


@pytest.fixture
def staff(world):
    return world.logged_in_client(world.admin)


def test_staff_see_notifications_and_every_state_of_the_mail_queue(world, staff, settings):
    settings.CARTSHARE_MAIL_MAX_ATTEMPTS = 1
    use_smtp(settings, free_port())  # down
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="READ_ONLY",
    )
    run_worker()
    comment_create(cart=world.trade_fair, actor=world.bob, text="Pending for a while")

    queue = staff.get(reverse("admin:notifications_mail_changelist")).content.decode()
    assert "Alice Archer shared the cart &#x27;Office supplies&#x27; with you" in queue
    assert "ConnectionRefusedError" in queue
    assert ">Failed<" in queue and ">Pending<" in queue
    failed = Mail.objects.get(status=MailStatus.FAILED)
    assert (
        staff.get(reverse("admin:notifications_mail_change", args=[failed.pk])).status_code == 200
    )
    told = staff.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert "Bob Brandt commented on the cart" in told
    assert (
        staff.get(reverse("admin:notifications_notificationsettings_changelist")).status_code == 200
    )


def test_send_again_delivers_a_failed_mail_once(world, staff, settings, smtp_sink):
    settings.CARTSHARE_MAIL_MAX_ATTEMPTS = 1
    use_smtp(settings, free_port())
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="READ_ONLY",
    )
    run_worker()
    failed = Mail.objects.get()
    assert failed.status == MailStatus.FAILED
    use_smtp(settings, smtp_sink.port)

    response = staff.post(
        reverse("admin:notifications_mail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    run_worker()
    run_worker()

    assert len(smtp_sink.to("greta@acme.example")) == 1
    assert Mail.objects.get().status == MailStatus.SENT


def test_customers_cannot_open_the_queue(world):
    response = world.logged_in_client(world.alice).get(
        reverse("admin:notifications_mail_changelist")
    )
    assert response.status_code == 302
