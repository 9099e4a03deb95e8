"""Access requests are told by mail (spec §11, §12): the owner gets the request with its message,
the requester the answer; both obey the `access_requests` setting."""

from __future__ import annotations

from cartshare.notifications.services import notification_settings_update
from cartshare.sharing.access_requests import access_request_create, access_request_decide
from tests.mail_sink import run_worker, text_of


def test_the_owner_gets_the_request_and_the_requester_the_approval(world, smtp_sink):
    asked = access_request_create(
        cart=world.trade_fair,
        actor=world.frank,
        permission="FULL_ACCESS",
        message="I need to add the banner.",
    )
    access_request_decide(access_request=asked, actor=world.alice, status="APPROVED")
    run_worker()

    to_owner = smtp_sink.one_to("alice@acme.example")
    assert to_owner["Subject"] == "Frank Fischer asks for full access to the cart 'Trade fair'"
    assert "I need to add the banner." in text_of(to_owner)
    assert "Answer the request" in text_of(to_owner)
    assert to_owner["List-Unsubscribe"]
    to_requester = smtp_sink.one_to("frank@acme.example")
    assert to_requester["Subject"] == "Alice Archer gave you full access to the cart 'Trade fair'"
    assert "You now have full access" in text_of(to_requester)


def test_a_declined_request_is_told_and_the_setting_turns_the_mail_off(world, smtp_sink):
    notification_settings_update(customer=world.alice, changes={"access_requests": False})
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    access_request_decide(access_request=asked, actor=world.alice, status="DECLINED")
    run_worker()

    assert smtp_sink.to("alice@acme.example") == []
    to_requester = smtp_sink.one_to("frank@acme.example")
    assert "declined" in to_requester["Subject"]
    assert "declined your request for full access" in text_of(to_requester)
    assert f"/carts/{world.trade_fair.pk}/my-access-request/" in text_of(to_requester)
