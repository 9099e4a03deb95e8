"""Under /api/ every error is problem+json: unknown paths, wrong methods, big bodies, bad JSON,
validation failures and crashes (logged with the request id the body carries)."""

import logging

import pytest
from django.http import HttpResponseServerError
from django.test import RequestFactory, override_settings

from cartshare.api.middleware import ApiMiddleware
from cartshare.carts.models import Cart
from tests.api.client import API, ApiClient, assert_problem, client_for
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/nope", "/carts/x/y/z", "/", "/../admin"])
def test_unknown_paths_answer_404_problem(path):
    anonymous = ApiClient()
    assert_problem(anonymous.get(path), 404)


def test_unknown_api_version_answers_404_problem():
    anonymous = ApiClient()
    assert_problem(anonymous.client.get("/api/v2/carts"), 404)


def test_a_wrong_method_answers_405_problem_with_allow():
    anonymous = ApiClient()
    response = anonymous.request("PUT", "/carts")
    assert_problem(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@override_settings(CARTSHARE_API_MAX_BODY_BYTES=1024)
def test_a_body_over_the_cap_answers_413_and_changes_nothing():
    customer = CustomerFactory()
    response = client_for(customer).post("/carts", {"name": "Big", "note": "x" * 2000})
    body = assert_problem(response, 413)
    assert "1,024" in body["detail"]
    assert not Cart.objects.filter(name="Big").exists()


def test_the_default_cap_is_64_kib():
    anonymous = ApiClient()
    assert_problem(anonymous.post("/access-tokens", "x" * (64 * 1024 + 1)), 413)


@pytest.mark.parametrize("body", ['{"name": ', "[]", "[null, null]", '"text"', "null", "\xff"])
def test_a_body_that_is_not_a_json_object_answers_400_problem(body):
    response = client_for(CustomerFactory()).post("/carts", body)
    problem = assert_problem(response, 400)
    assert "JSON object" in problem["detail"]
    assert not Cart.objects.exists()


@pytest.mark.parametrize("body", ['{"name": 5}', "{}", '{"name": ["a"]}'])
def test_a_body_of_the_wrong_shape_answers_422_with_errors(body):
    response = client_for(CustomerFactory()).post("/carts", body)
    problem = assert_problem(response, 422)
    assert problem["errors"]


def test_validation_errors_name_the_field():
    anonymous = ApiClient()
    problem = assert_problem(anonymous.post("/access-tokens", {"email": "a@b.c"}), 422)
    assert list(problem["errors"]) == ["password"]
    assert problem["type"].startswith("urn:cartshare:problem:")
    assert problem["title"] == "Validation failed"


def test_an_unexpected_error_answers_500_problem_and_is_logged_with_its_request_id(
    monkeypatch, caplog
):
    anonymous = ApiClient()

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("cartshare.api.routers.catalog.products_list", explode)
    with caplog.at_level(logging.ERROR, logger="cartshare.api"):
        response = anonymous.get("/products")
    problem = assert_problem(response, 500)
    assert "boom" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert problem["request_id"] == response["X-Request-ID"]
    assert any(problem["request_id"] in record.getMessage() for record in caplog.records)


def test_a_crash_outside_ninja_is_still_a_problem():
    """Django's own 500 (an error before ninja runs) is turned into problem+json too."""
    middleware = ApiMiddleware(lambda request: HttpResponseServerError("<h1>Server Error</h1>"))
    response = middleware(RequestFactory().get(API + "/me"))
    assert_problem(response, 500)


def test_pages_outside_the_api_are_left_alone():
    response = ApiClient().client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/problem+json")
