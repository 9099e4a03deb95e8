"""The browser harness itself works: Chromium starts, reaches the live server, renders a page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chromium_opens_the_back_office_login_page(new_page):
    page = new_page()
    response = page.goto("/admin/login/")
    assert response is not None
    assert response.status == 200
    assert page.get_by_role("button", name="Log in").is_visible()
    assert "Cartshare" in page.title()
