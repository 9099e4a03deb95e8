"""WSGI entry point: gunicorn's workers in the production stack (config/serve.py).

Behind a reverse proxy, `config.serve --proxy-headers --forwarded-allow-ips=<proxy>` sets
CARTSHARE_PROXY_ADDRESSES: a request from one of those addresses is taken to come from the last
address of its X-Forwarded-For (the one the proxy added), as uvicorn's --proxy-headers does on
the streams' side; the rate limits key on REMOTE_ADDR. Unset or empty: the header is ignored."""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_application = get_wsgi_application()

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def proxied(application: WSGIApp, proxies: set[str]) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR")
        if forwarded and ("*" in proxies or environ.get("REMOTE_ADDR") in proxies):
            environ["REMOTE_ADDR"] = forwarded.rsplit(",", 1)[-1].strip()
        return application(environ, start_response)

    return app


_proxies = {
    address.strip()
    for address in os.environ.get("CARTSHARE_PROXY_ADDRESSES", "").split(",")
    if address.strip()
}
application: WSGIApp = proxied(django_application, _proxies) if _proxies else django_application
