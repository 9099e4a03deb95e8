"""Access-request endpoints keep the promises of ../shared/API.md "Access requests" (spec §11): a
colleague who can view the cart asks for a higher level, the owner approves (the grant is
created or raised, never lowered) or declines, the requester withdraws; every status is here."""

import pytest

from cartshare.carts.models import CartStatus
from cartshare.notifications.models import Mail, Notification
from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.models import AccessRequest, CartShare, SharePermission
from tests.api.client import assert_problem, client_for
from tests.api.openapi import assert_answer_matches_openapi

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "cart_id",
    "requester",
    "permission",
    "granted_permission",
    "message",
    "status",
    "created_at",
    "decided_at",
    "decided_by",
}


def path(world, cart=None) -> str:
    return f"/carts/{(cart or world.trade_fair).pk}/access-requests"


def requests_now():
    return list(
        AccessRequest.objects.order_by("pk").values_list(
            "pk", "status", "permission", "granted_permission"
        )
    )


def grant_of(world, person, cart=None) -> str | None:
    grant = CartShare.objects.filter(
        cart=cart or world.trade_fair, company_user__customer=person
    ).first()
    return grant.permission if grant else None


def frank_asks(world, **kwargs) -> AccessRequest:
    return access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS", **kwargs
    )


# --- POST /carts/{id}/access-requests ----------------------------------------------------------


def test_a_read_only_colleague_asks_for_full_access_and_the_owner_is_told(world):
    response = client_for(world.frank).post(
        path(world), {"permission": "FULL_ACCESS", "message": "I need to add the banner."}
    )

    assert response.status_code == 201, response.content
    assert_answer_matches_openapi(response, "POST", "/carts/{cart_id}/access-requests")
    body = response.json()
    assert set(body) == FIELDS
    assert body["requester"] == {"id": world.frank.pk, "name": "Frank Fischer"}
    assert (body["permission"], body["status"], body["message"]) == (
        "FULL_ACCESS",
        "PENDING",
        "I need to add the banner.",
    )
    assert body["granted_permission"] is None and body["decided_by"] is None
    assert grant_of(world, world.frank) == "READ_ONLY"  # asking gives nothing yet
    told = Notification.objects.get(recipient=world.alice, kind="access.requested")
    assert "Frank Fischer asks for full access" in told.text
    assert "I need to add the banner." in told.text
    assert Mail.objects.filter(to_address=world.alice.email, kind="access.requested").exists()


def test_asking_again_while_one_is_pending_answers_409_and_adds_nothing(world):
    frank_asks(world)
    before = requests_now()

    response = client_for(world.frank).post(path(world), {"permission": "FULL_ACCESS"})

    body = assert_problem(response, 409)
    assert "has not answered yet" in body["detail"]
    assert requests_now() == before


@pytest.mark.parametrize(
    ("person", "permission", "words"),
    [
        ("frank", "READ_ONLY", "read-only"),  # the level they have
        ("bob", "FULL_ACCESS", "full access"),  # the level they have
        ("bob", "READ_ONLY", "full access"),  # lower than theirs
        ("alice", "FULL_ACCESS", "You own this cart"),
    ],
)
def test_asking_for_a_level_one_cannot_be_given_answers_422(world, person, permission, words):
    response = client_for(world.user(person)).post(path(world), {"permission": permission})

    body = assert_problem(response, 422)
    assert words in body["detail"]
    assert body["errors"]["permission"]
    assert requests_now() == []


@pytest.mark.parametrize(
    "body",
    [
        {"permission": "OWNER"},
        {"permission": "NONE"},
        {},
        {"permission": "FULL_ACCESS", "message": "x" * 501},
        {"permission": "FULL_ACCESS", "message": 5},
    ],
)
def test_malformed_requests_answer_422_and_change_nothing(world, body):
    assert_problem(client_for(world.frank).post(path(world), body), 422)
    assert requests_now() == []


@pytest.mark.parametrize("person", ["greta", "carol", "dave", "erin"])
def test_who_cannot_see_the_cart_is_not_told_it_exists(world, person):
    """greta is a colleague without a grant: through the API, as for every other caller who
    cannot see it, the cart answers 404 (the pages let her ask from a link's refusal page)."""
    response = client_for(world.user(person)).post(path(world), {"permission": "FULL_ACCESS"})

    assert_problem(response, 404)
    assert requests_now() == []


def test_without_a_token_answers_401(world):
    assert_problem(client_for(None).post(path(world), {"permission": "FULL_ACCESS"}), 401)
    assert requests_now() == []


def test_an_ordered_cart_takes_no_requests_409(world):
    world.trade_fair.status = CartStatus.ORDERED
    world.trade_fair.save(update_fields=["status"])

    body = assert_problem(
        client_for(world.frank).post(path(world), {"permission": "FULL_ACCESS"}), 409
    )
    assert "ordered" in body["detail"]
    assert requests_now() == []


# --- GET /carts/{id}/access-requests and GET /access-requests ---------------------------------


def test_the_owner_lists_the_cart_requests_pending_first(world):
    old = frank_asks(world)
    client_for(world.alice).patch(f"/access-requests/{old.pk}", {"status": "DECLINED"})
    newer = frank_asks(world, message="Please, for the banner.")

    response = client_for(world.alice).get(path(world))

    assert response.status_code == 200
    assert_answer_matches_openapi(response, "GET", "/carts/{cart_id}/access-requests")
    results = response.json()["results"]
    assert [(entry["id"], entry["status"]) for entry in results] == [
        (newer.pk, "PENDING"),
        (old.pk, "DECLINED"),
    ]


@pytest.mark.parametrize(("person", "status"), [("bob", 403), ("frank", 403), ("greta", 404)])
def test_nobody_but_the_owner_lists_a_cart_requests(world, person, status):
    frank_asks(world)
    assert_problem(client_for(world.user(person)).get(path(world)), status)


def test_everyone_lists_their_own_requests_only(world):
    mine = frank_asks(world)

    response = client_for(world.frank).get("/access-requests")

    assert response.status_code == 200
    assert_answer_matches_openapi(response, "GET", "/access-requests")
    assert [entry["id"] for entry in response.json()["results"]] == [mine.pk]
    assert client_for(world.alice).get("/access-requests").json()["results"] == []


# --- PATCH /access-requests/{id} ----------------------------------------------------------------


def test_approving_raises_the_grant_and_tells_the_requester(world):
    asked = frank_asks(world)

    response = client_for(world.alice).patch(f"/access-requests/{asked.pk}", {"status": "APPROVED"})

    assert response.status_code == 200, response.content
    assert_answer_matches_openapi(response, "PATCH", "/access-requests/{request_id}")
    body = response.json()
    assert (body["status"], body["granted_permission"]) == ("APPROVED", "FULL_ACCESS")
    assert body["decided_by"] == {"id": world.alice.pk, "name": "Alice Archer"}
    assert body["decided_at"] is not None
    assert grant_of(world, world.frank) == "FULL_ACCESS"
    told = Notification.objects.get(recipient=world.frank, kind="access.decided")
    assert "gave you full access" in told.text
    assert Mail.objects.filter(to_address=world.frank.email, kind="access.decided").exists()


def test_approving_with_another_level_gives_that_level(world):
    """greta asked through a link's refusal page (she could not see the cart): the owner
    approves with read-only instead of full access, and a grant is created."""
    asked = access_request_create(
        cart=world.trade_fair, actor=world.greta, permission="FULL_ACCESS", holds_link=True
    )

    response = client_for(world.alice).patch(
        f"/access-requests/{asked.pk}", {"status": "APPROVED", "permission": "READ_ONLY"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["granted_permission"] == "READ_ONLY"
    assert grant_of(world, world.greta) == "READ_ONLY"


def test_approving_never_lowers_a_grant(world):
    asked = frank_asks(world)
    CartShare.objects.filter(company_user__customer=world.frank).update(
        permission=SharePermission.FULL_ACCESS
    )  # raised on the share page meanwhile

    response = client_for(world.alice).patch(
        f"/access-requests/{asked.pk}", {"status": "APPROVED", "permission": "READ_ONLY"}
    )

    assert response.status_code == 200
    assert response.json()["granted_permission"] == "FULL_ACCESS"
    assert grant_of(world, world.frank) == "FULL_ACCESS"


def test_declining_changes_no_grant_and_tells_the_requester(world):
    asked = frank_asks(world)

    response = client_for(world.alice).patch(f"/access-requests/{asked.pk}", {"status": "DECLINED"})

    assert response.status_code == 200
    assert response.json()["status"] == "DECLINED"
    assert response.json()["granted_permission"] is None
    assert grant_of(world, world.frank) == "READ_ONLY"
    told = Notification.objects.get(recipient=world.frank, kind="access.decided")
    assert "declined" in told.text


@pytest.mark.parametrize(("person", "status"), [("frank", 403), ("bob", 404), ("carol", 404)])
def test_nobody_but_the_owner_answers(world, person, status):
    asked = frank_asks(world)
    before = requests_now(), grant_of(world, world.frank)

    response = client_for(world.user(person)).patch(
        f"/access-requests/{asked.pk}", {"status": "APPROVED"}
    )

    assert_problem(response, status)
    assert (requests_now(), grant_of(world, world.frank)) == before


def test_an_answered_request_cannot_be_answered_again_409(world):
    asked = frank_asks(world)
    owner = client_for(world.alice)
    owner.patch(f"/access-requests/{asked.pk}", {"status": "DECLINED"})
    before = requests_now()

    assert_problem(owner.patch(f"/access-requests/{asked.pk}", {"status": "APPROVED"}), 409)
    assert requests_now() == before
    assert grant_of(world, world.frank) == "READ_ONLY"


def test_on_an_ordered_cart_approving_is_refused_409_but_declining_works(world):
    asked = frank_asks(world)
    world.trade_fair.status = CartStatus.ORDERED
    world.trade_fair.save(update_fields=["status"])
    owner = client_for(world.alice)

    assert_problem(owner.patch(f"/access-requests/{asked.pk}", {"status": "APPROVED"}), 409)
    assert grant_of(world, world.frank) == "READ_ONLY"
    assert AccessRequest.objects.get(pk=asked.pk).status == "PENDING"

    response = owner.patch(f"/access-requests/{asked.pk}", {"status": "DECLINED"})
    assert response.status_code == 200
    assert AccessRequest.objects.get(pk=asked.pk).status == "DECLINED"


@pytest.mark.parametrize("body", [{"status": "PENDING"}, {"status": "WITHDRAWN"}, {}])
def test_an_answer_other_than_approved_or_declined_answers_422(world, body):
    asked = frank_asks(world)
    assert_problem(client_for(world.alice).patch(f"/access-requests/{asked.pk}", body), 422)
    assert AccessRequest.objects.get(pk=asked.pk).status == "PENDING"


def test_a_request_lapses_when_its_requester_leaves_the_unit(world):
    asked = frank_asks(world)
    world.frank.company_user.business_unit = world.munich
    world.frank.company_user.save(update_fields=["business_unit"])
    owner = client_for(world.alice)

    assert owner.get(path(world)).json()["results"] == []
    assert_problem(owner.patch(f"/access-requests/{asked.pk}", {"status": "APPROVED"}), 404)
    assert AccessRequest.objects.get(pk=asked.pk).status == "PENDING"


def test_an_unknown_request_answers_404(world):
    assert_problem(
        client_for(world.alice).patch("/access-requests/999999", {"status": "DECLINED"}), 404
    )


# --- DELETE /access-requests/{id} --------------------------------------------------------------


def test_the_requester_withdraws_a_pending_request(world):
    asked = frank_asks(world)

    response = client_for(world.frank).delete(f"/access-requests/{asked.pk}")

    assert response.status_code == 204
    assert AccessRequest.objects.get(pk=asked.pk).status == "WITHDRAWN"
    # and may ask again
    again = client_for(world.frank).post(path(world), {"permission": "FULL_ACCESS"})
    assert again.status_code == 201


@pytest.mark.parametrize(("person", "status"), [("alice", 403), ("bob", 404), ("dave", 404)])
def test_nobody_but_the_requester_withdraws(world, person, status):
    asked = frank_asks(world)
    assert_problem(client_for(world.user(person)).delete(f"/access-requests/{asked.pk}"), status)
    assert AccessRequest.objects.get(pk=asked.pk).status == "PENDING"


def test_an_answered_request_cannot_be_withdrawn_409(world):
    asked = frank_asks(world)
    client_for(world.alice).patch(f"/access-requests/{asked.pk}", {"status": "APPROVED"})

    assert_problem(client_for(world.frank).delete(f"/access-requests/{asked.pk}"), 409)
    assert AccessRequest.objects.get(pk=asked.pk).status == "APPROVED"


@pytest.mark.parametrize("who_leaves", ["requester", "owner"])
def test_a_lapsed_request_is_not_listed_as_pending_for_its_requester(world, who_leaves):
    asked = frank_asks(world)
    leaver = world.frank if who_leaves == "requester" else world.alice
    if who_leaves == "requester":  # moved units: still logged in, no longer a colleague
        leaver.company_user.business_unit = world.munich
        leaver.company_user.save(update_fields=["business_unit"])
    else:  # the owner's company user is deactivated: nobody can answer any more
        leaver.company_user.is_active = False
        leaver.company_user.save(update_fields=["is_active"])

    mine = client_for(world.frank).get("/access-requests")

    assert mine.status_code == 200
    assert mine.json()["results"] == []
    assert_problem(client_for(world.frank).delete(f"/access-requests/{asked.pk}"), 404)
    assert AccessRequest.objects.get(pk=asked.pk).status == "PENDING"  # inert, not changed


def test_a_decided_request_stays_listed_for_its_requester(world):
    asked = frank_asks(world)
    client_for(world.alice).patch(f"/access-requests/{asked.pk}", {"status": "DECLINED"})

    mine = client_for(world.frank).get("/access-requests").json()["results"]

    assert [(entry["id"], entry["status"]) for entry in mine] == [(asked.pk, "DECLINED")]
