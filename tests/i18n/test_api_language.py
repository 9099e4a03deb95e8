"""API problems follow Accept-Language in `title` and `detail`; `type`, `code`, `status` and
the field names in `errors` never change (issue 17). LocaleMiddleware covers /api/ too.

Tried with the problems of config/middleware.py (a NUL character in the address or in a JSON
field), whose texts the project catalog translates (locale/); the API's own titles and details
are translated in cartshare/api's catalog."""

from __future__ import annotations

import json

import pytest

from cartshare.carts.services import cart_create
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_a_404_problem_is_told_in_german_with_the_same_code(client):
    english = client.get("/api/v1/products/a%00b", **ENGLISH)
    german = client.get("/api/v1/products/a%00b", **GERMAN)
    assert english.status_code == german.status_code == 404
    assert german["Content-Type"].startswith("application/problem+json")
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    en, de = english.json(), german.json()
    assert en["detail"] == "There is nothing at this address."
    assert de["detail"] == "Unter dieser Adresse gibt es nichts."
    assert de["code"] == en["code"] == "not_found"
    assert de["type"] == en["type"] == "urn:cartshare:problem:not_found"
    assert de["status"] == 404


def test_a_422_problem_names_the_same_fields_in_german(client):
    owner = CustomerFactory()
    cart = cart_create(owner=owner, name="Office")
    client.force_login(owner)
    body = json.dumps({"name": "ok", "note": "a\x00b"})
    answers = {
        language: client.patch(
            f"/api/v1/carts/{cart.pk}", body, content_type="application/json", **headers
        ).json()
        for language, headers in (("en", ENGLISH), ("de", GERMAN))
    }
    en, de = answers["en"], answers["de"]
    assert de["code"] == en["code"] == "validation_error" and de["type"] == en["type"]
    assert list(de["errors"]) == list(en["errors"]) == ["note"]
    assert de["detail"].startswith("Die Anfrage enthält ein NUL-Zeichen")
    assert de["errors"]["note"] == [de["detail"]]
    assert en["detail"].startswith("The request contains a NUL character")


def test_the_openapi_document_stays_english(client):
    # German first: a document made for a German reader would be kept for everyone after.
    german = client.get("/api/v1/openapi.json", **GERMAN)
    assert german.status_code == 200
    assert b"Validation failed" in german.content  # the 422s' description, TITLES[422]
    assert client.get("/api/v1/openapi.json", **ENGLISH).content == german.content
