"""ASGI entry point (uvicorn, or gunicorn with uvicorn workers).

The two event-stream paths (`/api/v1/carts/{id}/events`, `/api/v1/shared/{token}/events`) go
to Django like every other request, with the server's `send` wrapped so that no event waits for
its client and a client that stops reading is dropped (cartshare/live/sending.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_application = get_asgi_application()

from cartshare.live.sending import live_streams  # noqa: E402 (after Django is set up)

application = live_streams(django_application)
