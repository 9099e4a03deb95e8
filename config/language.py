"""The header's language switcher (base.html): Django's `set_language` (the cookie, back to
the page the form was on), and for a logged-in customer the choice saved on their account, so
that mails reach them in it (docs/decisions/i18n.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from cartshare.accounts.models import Customer
from cartshare.accounts.services import customer_language_set
from cartshare.storefront.errors import safe_next


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # Only a hand-made form sends another one; the page says so and nothing changes.
        messages.error(request, _("That language is not offered here."))
        return redirect(safe_next(request, "/"))
    response = set_language(request)  # the cookie; back to `next` (checked: same host)
    if isinstance(request.user, Customer):
        customer_language_set(request.user, language)
    return response
