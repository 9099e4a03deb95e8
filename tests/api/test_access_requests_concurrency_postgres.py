"""On PostgreSQL with real threads: a colleague asking eight times at once gets one pending
request (201 once, 409 for the rest), and an owner answering twice at once answers once."""

import threading

import pytest
from django.db import connection

from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.models import AccessRequest, CartShare
from tests.api.client import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def run_at_once(calls) -> list[int]:
    statuses: list[int] = []
    start = threading.Barrier(len(calls))

    def run(call):
        try:
            start.wait()
            statuses.append(call().status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_asking_eight_times_at_once_makes_one_pending_request(world):
    assert connection.vendor == "postgresql"
    path = f"/carts/{world.trade_fair.pk}/access-requests"
    clients = [client_for(world.frank) for _ in range(THREADS)]

    statuses = run_at_once(
        [
            lambda client=client: client.post(path, {"permission": "FULL_ACCESS"})
            for client in clients
        ]
    )

    assert statuses == [201] + [409] * (THREADS - 1)
    assert AccessRequest.objects.filter(status="PENDING").count() == 1


def test_approving_and_declining_at_once_answers_once(world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    path = f"/access-requests/{asked.pk}"
    owners = [client_for(world.alice) for _ in range(2)]

    statuses = run_at_once(
        [
            lambda: owners[0].patch(path, {"status": "APPROVED"}),
            lambda: owners[1].patch(path, {"status": "DECLINED"}),
        ]
    )

    assert statuses == [200, 409]
    asked.refresh_from_db()
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.frank)
    assert (asked.status == "APPROVED") == (grant.permission == "FULL_ACCESS")
