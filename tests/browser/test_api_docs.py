"""The API docs work offline: Swagger UI renders from our own static files, nothing else."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_without_any_third_party_request(new_page, live_server):
    page = new_page()
    foreign: list[str] = []
    own_host = urlparse(live_server.url).netloc

    def only_same_origin(route):
        if urlparse(route.request.url).netloc == own_host:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_same_origin)
    page.goto("/api/v1/docs")
    page.get_by_text("Cartshare API").first.wait_for()
    page.get_by_text("/api/v1/carts/{cart_id}/items").first.wait_for()
    page.screenshot(path="/tmp/api-docs.png", full_page=False)
    assert foreign == []
