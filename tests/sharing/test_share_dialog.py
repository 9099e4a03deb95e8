"""The share dialog's page (issue 14 part 1) through HTTP, for each kind of caller: what each
one sees, the actions (add people, everyone in the unit, a level in place, undo, the QR code on
demand, an unchanged expiry) and the cart page's one-line summary that opens it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cartshare.sharing.models import CartShare, ShareLink, SharePermission
from tests.factories import CompanyUserFactory
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db


def share_url(cart) -> str:
    return reverse("storefront:cart_share", args=[cart.pk])


def page_for(world, person, cart=None) -> str:
    response = world.logged_in_client(person).get(share_url(cart or world.trade_fair))
    assert response.status_code == 200
    return response.content.decode()


def levels(world) -> dict[str, str]:
    return dict(
        CartShare.objects.filter(cart=world.trade_fair).values_list(
            "company_user__customer__name", "permission"
        )
    )


def company_user_id(world, person) -> int:
    return world.company_user(person).pk


# --- what each caller sees ----------------------------------------------------------------------


def test_a_b2b_owner_sees_people_add_people_links_and_history(world):
    world.share_link(world.trade_fair, "PREVIEW")
    html = page_for(world, world.alice)
    assert "People with access" in html
    assert "Alice Archer</strong> (you)" in html
    assert "Access for Bob Brandt</label>" in html and "Access for Frank Fischer</label>" in html
    assert "Add people from Berlin HQ" in html and "Everyone in Berlin HQ" in html
    assert "Preview link to copy" in html and "Create read-only link" in html
    assert "Link history (1)" in html
    assert "Send by e-mail" in html
    assert "Times are shown in UTC" in html


def test_a_b2c_owner_sees_only_the_preview_link_and_the_e_mail(world):
    cart = world.own_carts["erin"]
    html = page_for(world, world.erin, cart)
    assert "Create preview link" in html and "Send by e-mail" in html
    for absent in ("People with access", "Add people", "Everyone in", "colleague", "read-only"):
        assert absent not in html.lower() if absent.islower() else absent not in html, absent


@pytest.mark.parametrize(
    ("person", "level"),
    [("bob", "Full access"), ("frank", "Read-only"), ("greta", "Contributor")],
)
def test_a_grantee_sees_their_own_access_and_nothing_to_manage(world, person, level):
    world.share(world.trade_fair, world.greta, "CONTRIBUTOR")
    world.share_link(world.trade_fair, "PREVIEW")
    html = page_for(world, getattr(world, person))
    assert "Your access" in html and f'<span class="pill pill-level">{level}</span>' in html
    assert reverse("storefront:cart_dismiss", args=[world.trade_fair.pk]) in html
    for absent in ("People with access", "Add people", "Link history", "to copy", "/qr.svg"):
        assert absent not in html, absent


def test_a_read_only_grantee_may_ask_for_more_from_the_dialog(world):
    html = page_for(world, world.frank)
    assert reverse("storefront:cart_access_request", args=[world.trade_fair.pk]) in html


@pytest.mark.parametrize("person", ["carol", "dave", "erin"])
def test_outsiders_get_404_and_change_nothing(world, person):
    client = world.logged_in_client(getattr(world, person))
    before = snapshot()
    assert client.get(share_url(world.trade_fair)).status_code == 404
    response = client.post(
        share_url(world.trade_fair), {"person": "everyone", "permission": "FULL_ACCESS"}
    )
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("person", ["bob", "frank"])
def test_grantees_cannot_change_access_from_the_dialog(world, person):
    client = world.logged_in_client(getattr(world, person))
    before = snapshot()
    response = client.post(
        share_url(world.trade_fair), {"person": "everyone", "permission": "FULL_ACCESS"}
    )
    assert response.status_code == 403
    response = client.post(
        share_url(world.trade_fair),
        {"person": company_user_id(world, "colleague"), "permission": "READ_ONLY"},
    )
    assert response.status_code == 403
    assert client.post(share_url(world.trade_fair), {"undo": "1"}).status_code == 403
    assert snapshot() == before


def test_the_owner_sees_pending_requests_with_approve_and_decline(world):
    from cartshare.sharing.access_requests import access_request_create

    access_request_create(cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS")
    html = page_for(world, world.alice)
    assert "Frank Fischer</strong> asks for" in html
    assert ">Approve</button>" in html and ">Decline</button>" in html


def test_the_dialog_query_count_does_not_grow_with_people_and_links(
    world, django_assert_max_num_queries
):
    client = world.logged_in_client(world.alice)
    for _ in range(12):
        colleague = CompanyUserFactory(business_unit=world.berlin)
        world.share(world.trade_fair, colleague.customer, "READ_ONLY")
    for option in ("PREVIEW", "READ_ONLY", "CONTRIBUTOR", "FULL_ACCESS"):
        world.share_link(world.trade_fair, option)
    with django_assert_max_num_queries(24):
        response = client.get(share_url(world.trade_fair))
    assert response.content.decode().count("Access for ") == 14


# --- actions ------------------------------------------------------------------------------------


def test_the_owner_adds_one_colleague_and_comes_back_to_the_people(world):
    client = world.logged_in_client(world.alice)
    here = share_url(world.trade_fair)
    response = client.post(
        here,
        {
            "person": company_user_id(world, "colleague"),
            "permission": "CONTRIBUTOR",
            "next": here + "#share-people",
        },
    )
    assert response.status_code == 302 and response["Location"] == here + "#share-people"
    assert levels(world)["Greta Gruber"] == SharePermission.CONTRIBUTOR


def test_everyone_in_the_unit_raises_each_colleague_and_lowers_nobody(world):
    newcomer = CompanyUserFactory(business_unit=world.berlin).customer
    outsider = CompanyUserFactory(business_unit=world.munich).customer
    client = world.logged_in_client(world.alice)
    response = client.post(
        share_url(world.trade_fair), {"person": "everyone", "permission": "CONTRIBUTOR"}
    )
    assert response.status_code == 302
    assert levels(world) == {
        "Bob Brandt": "FULL_ACCESS",  # kept: never lowered
        "Frank Fischer": "CONTRIBUTOR",  # raised
        "Greta Gruber": "CONTRIBUTOR",  # added
        newcomer.name: "CONTRIBUTOR",
    }
    assert outsider.name not in levels(world)


def test_a_level_changes_in_place_and_can_be_undone_for_a_few_seconds(world):
    client = world.logged_in_client(world.alice)
    field = f"permission-{company_user_id(world, 'full_access')}"
    with time_machine.travel(timezone.now(), tick=False) as frozen:
        client.post(share_url(world.trade_fair), {field: "NONE"})
        assert "Bob Brandt" not in levels(world)
        html = client.get(share_url(world.trade_fair)).content.decode()
        assert 'name="undo" value="1"' in html
        frozen.shift(timedelta(seconds=5))
        response = client.post(share_url(world.trade_fair), {"undo": "1"}, follow=True)
    assert "Bob Brandt: no access → full access" in response.content.decode()
    assert levels(world)["Bob Brandt"] == "FULL_ACCESS"
    assert 'name="undo" value="1"' not in response.content.decode()  # undoing is not undone


def test_an_undo_after_its_seconds_is_refused_and_changes_nothing(world):
    client = world.logged_in_client(world.alice)
    field = f"permission-{company_user_id(world, 'read_only')}"
    with time_machine.travel(timezone.now(), tick=False) as frozen:
        client.post(share_url(world.trade_fair), {field: "FULL_ACCESS"})
        frozen.shift(timedelta(seconds=11))
        assert 'name="undo"' not in client.get(share_url(world.trade_fair)).content.decode()
        before = snapshot()
        response = client.post(share_url(world.trade_fair), {"undo": "1"})
    assert response.status_code == 422
    assert "too late to undo" in response.content.decode()
    assert snapshot() == before


def test_an_unknown_person_is_refused_with_a_message_and_changes_nothing(world):
    client = world.logged_in_client(world.alice)
    before = snapshot()
    for person in ("abc", str(company_user_id(world, "other_unit"))):
        response = client.post(
            share_url(world.trade_fair), {"person": person, "permission": "READ_ONLY"}
        )
        assert response.status_code == 422
        assert "Nothing was changed." in response.content.decode()
    assert snapshot() == before


def test_the_qr_code_is_drawn_on_demand_for_the_owner_only(world):
    link, _, _ = world.share_link(world.trade_fair, "PREVIEW")
    qr = reverse("storefront:share_link_qr", args=[link.pk])
    owner = world.logged_in_client(world.alice).get(qr)
    assert owner.status_code == 200 and owner["Content-Type"] == "image/svg+xml"
    assert owner.content.startswith(b"<?xml") and b"QR code of the preview link" in owner.content
    assert owner["Cache-Control"] == "no-store"
    assert world.logged_in_client(world.bob).get(qr).status_code == 403
    assert world.logged_in_client(world.carol).get(qr).status_code == 404
    assert world.logged_in_client(None).get(qr).status_code == 302
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert world.logged_in_client(world.alice).get(qr).status_code == 410


def test_re_saving_an_unchanged_expiry_keeps_it_to_the_second(world):
    client = world.logged_in_client(world.alice)
    client.post(
        reverse("storefront:cart_links", args=[world.trade_fair.pk]),
        {"share_option": "PREVIEW", "expires": "7"},
    )
    link = ShareLink.objects.get()
    html = client.get(share_url(world.trade_fair)).content.decode()
    shown = timezone.localtime(link.expires_at).strftime("%H:%M")
    assert '<option value="keep" selected>Unchanged (' in html and f"{shown} UTC)" in html
    client.post(reverse("storefront:share_link_expiry", args=[link.pk]), {"expires": "keep"})
    expires_at = link.expires_at
    link.refresh_from_db()
    assert link.expires_at == expires_at


def test_new_link_asks_first_and_keeps_the_expiry(world):
    link, _, _ = world.share_link(world.trade_fair, "PREVIEW")
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(days=3))
    link.refresh_from_db()
    html = page_for(world, world.alice)
    assert "Replace this link? The current one stops working at once" in html
    assert "Revoke this link? It stops opening the cart at once" in html
    client = world.logged_in_client(world.alice)
    client.post(reverse("storefront:share_link_renew", args=[link.pk]), {"expires": "keep"})
    current = ShareLink.objects.get(revoked_at__isnull=True)
    assert current.pk != link.pk and current.expires_at == link.expires_at


# --- the cart page's summary --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "summary"),
    [
        ("alice", "Shared with 2 people · 1 link"),
        ("bob", "Alice Archer&#x27;s cart · yours: full access"),
        ("frank", "Alice Archer&#x27;s cart · yours: read-only"),
    ],
)
def test_the_cart_page_has_one_summary_line_that_opens_the_dialog(world, person, summary):
    world.share_link(world.trade_fair, "PREVIEW")
    client = world.logged_in_client(getattr(world, person))
    html = client.get(
        reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    ).content.decode()
    assert f'<span class="share-summary-text">{summary}</span>' in html
    assert f'href="{share_url(world.trade_fair)}" data-share-open' in html
    # The old panels are gone from the cart page: no link fields, no "Share by link".
    assert (
        "to copy" not in html and "Share by link" not in html and "Create preview link" not in html
    )


def test_a_b2c_owner_s_summary_counts_links_only(world):
    cart = world.own_carts["erin"]
    html = (
        world.logged_in_client(world.erin)
        .get(reverse("storefront:cart_detail", args=[cart.pk]))
        .content.decode()
    )
    assert '<span class="share-summary-text">Only you · no link</span>' in html


def test_revoke_can_be_undone_for_a_few_seconds_and_the_same_link_works_again(world):
    link, _, token = world.share_link(world.trade_fair, "PREVIEW")
    client = world.logged_in_client(world.alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as frozen:
        client.post(reverse("storefront:share_link_revoke", args=[link.pk]))
        assert world.logged_in_client(None).get(f"/share/{token}").status_code == 410
        html = client.get(share_url(world.trade_fair)).content.decode()
        restore = reverse("storefront:share_link_restore", args=[link.pk])
        assert f'action="{restore}"' in html and "Revoked just now." in html
        frozen.shift(timedelta(seconds=5))
        response = client.post(restore, {"next": share_url(world.trade_fair) + "#share-preview"})
    assert response["Location"] == share_url(world.trade_fair) + "#share-preview"
    link.refresh_from_db()
    assert link.revoked_at is None
    assert world.logged_in_client(None).get(f"/share/{token}").status_code == 200


def test_undoing_a_revoke_is_refused_late_or_after_a_new_link_and_to_grantees(world):
    link, _, _ = world.share_link(world.trade_fair, "PREVIEW")
    client = world.logged_in_client(world.alice)
    restore = reverse("storefront:share_link_restore", args=[link.pk])
    with time_machine.travel(timezone.now(), tick=False) as frozen:
        client.post(reverse("storefront:share_link_revoke", args=[link.pk]))
        assert world.logged_in_client(world.bob).post(restore).status_code == 403
        frozen.shift(timedelta(seconds=20))
        assert "Revoked just now." not in client.get(share_url(world.trade_fair)).content.decode()
        before = snapshot()
        response = client.post(restore, follow=True)
        assert "too late to undo" in response.content.decode()
        assert snapshot() == before
    other, _, _ = world.share_link(world.trade_fair, "READ_ONLY")
    client.post(reverse("storefront:share_link_renew", args=[other.pk]))
    response = client.post(reverse("storefront:share_link_restore", args=[other.pk]), follow=True)
    assert "newer link" in response.content.decode()
    other.refresh_from_db()
    assert other.revoked_at is not None
