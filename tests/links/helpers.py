"""Small helpers shared by the share-link tests."""

from __future__ import annotations

import re

from django.apps import apps

from cartshare.accounts.models import RateLimitCounter
from cartshare.sharing.models import ShareLink, ShareLinkStats
from cartshare.sharing.tokens import token_hash

INTERNAL = ["READ_ONLY", "CONTRIBUTOR", "FULL_ACCESS"]
ALL_OPTIONS = ["PREVIEW", *INTERNAL]


def text(response) -> str:
    return response.content.decode()


def main_text(response) -> str:
    """The page's <main>: what the page shows, without the header of the person logged in."""
    return text(response).split("<main", 1)[1].split("</main>", 1)[0]


def open_url(token: str) -> str:
    return f"/share/{token}"


def join_url(token: str) -> str:
    """The link's own page, whose address holds the link's id instead of its token."""
    return f"/share/join/{ShareLink.objects.get(token_hash=token_hash(token)).pk}"


def visit(client, token: str):
    """Open a link as a browser does: `/share/<token>`, then on to the link's own page where it
    sends a logged-in visitor (or an anonymous one on to the log-in page)."""
    response = client.get(open_url(token))
    if response.status_code == 302 and response["Location"].startswith("/share/join/"):
        response = client.get(response["Location"])
    return response


def table_snapshot(exclude=(ShareLinkStats,)) -> dict[str, list[dict]]:
    """Every row of every table, through the ORM (ShareLinkStats left out: GETs count opens;
    rate-limit counters always: every request that is limited counts, refused or not)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model not in exclude and model is not RateLimitCounter
    }


def data_snapshot() -> dict[str, list[dict]]:
    """The shop's data without sessions (a refused form stores its message in the session)."""
    from django.contrib.sessions.models import Session

    return table_snapshot(exclude=(ShareLinkStats, Session))


URL_PATTERN = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


def foreign_urls(html: str, origin: str = "http://testserver") -> list[str]:
    """Absolute or protocol-relative URLs in the page that do not point at our own origin."""
    return [url for url in URL_PATTERN.findall(html) if not url.startswith(origin + "/")]
