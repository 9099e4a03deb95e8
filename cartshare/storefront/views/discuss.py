"""Discussion pages: a cart's comments and activity log, and the comment forms."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cartshare.access.policies import CartAction, ensure_can_edit_comment
from cartshare.carts.selectors import cart_get_for
from cartshare.comments import services
from cartshare.comments.models import MAX_COMMENT_LENGTH
from cartshare.comments.selectors import comment_get_for
from cartshare.common.errors import DomainError, InvalidInput
from cartshare.notifications.selectors import mention_candidates
from cartshare.storefront.errors import back_with_error, error_page, safe_next
from cartshare.storefront.views.carts import current_customer


def _discussion_url(cart_id: uuid.UUID) -> str:
    return reverse("storefront:cart_discussion", args=[cart_id])


@login_required
@require_GET
def cart_discussion(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        cart = cart_get_for(request.user, cart_id, action=CartAction.COMMENT)
    except DomainError as error:
        return error_page(request, error)
    return render(request, "storefront/comments/discussion.html", {"cart": cart})


@login_required
@require_POST
def comment_create_view(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    text = request.POST.get("text", "")
    try:
        cart = cart_get_for(request.user, cart_id, action=CartAction.COMMENT)
    except DomainError as error:
        return error_page(request, error)
    try:
        services.comment_create(cart=cart, actor=request.user, text=text)
    except InvalidInput as error:
        # Shown again with the text kept: nobody should lose a long comment to a length limit.
        context = {"cart": cart, "comment_draft": text, "comment_error": error.message}
        return render(request, "storefront/comments/discussion.html", context, status=422)
    except DomainError as error:
        return back_with_error(request, error, _discussion_url(cart_id))
    messages.success(request, _("Your comment was posted."))
    return redirect(safe_next(request, _discussion_url(cart_id)) + "#comments")


@login_required
@require_http_methods(["GET", "POST"])
def comment_update_view(request: HttpRequest, cart_id: uuid.UUID, comment_id: int) -> HttpResponse:
    try:
        comment = comment_get_for(request.user, comment_id, cart_id=cart_id)
        ensure_can_edit_comment(request.user, comment, comment.cart)
    except DomainError as error:
        return error_page(request, error)
    context = {"cart": comment.cart, "comment": comment, "text": comment.text, "error": None}
    context["max_length"] = MAX_COMMENT_LENGTH
    next_url = context["next_url"] = safe_next(request, _discussion_url(cart_id))
    if request.method == "GET":
        return render(request, "storefront/comments/comment_edit.html", context)
    text = context["text"] = request.POST.get("text", "")
    try:
        services.comment_update(comment=comment, actor=request.user, text=text)
    except DomainError as error:
        context["error"] = error.message
        return render(request, "storefront/comments/comment_edit.html", context, status=422)
    messages.success(request, _("Your comment was saved."))
    return redirect(next_url + "#comments")


@login_required
@require_POST
def comment_delete_view(request: HttpRequest, cart_id: uuid.UUID, comment_id: int) -> HttpResponse:
    try:
        comment = comment_get_for(request.user, comment_id, cart_id=cart_id)
        services.comment_delete(comment=comment, actor=request.user)
    except DomainError as error:
        return back_with_error(request, error, _discussion_url(cart_id))
    messages.success(request, _("The comment was deleted."))
    return redirect(safe_next(request, _discussion_url(cart_id)) + "#comments")


@login_required
@require_GET
def cart_mention_suggestions(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    """JSON for the "@" suggestions of the comment box (storefront/mentions.js): the names of
    those who can read this discussion, matching `q`."""
    try:
        cart = cart_get_for(request.user, cart_id, action=CartAction.COMMENT)
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status)
    prefix = request.GET.get("q", "")[:100]
    names = mention_candidates(cart=cart, actor=current_customer(request), prefix=prefix)
    return JsonResponse({"results": [{"name": name} for name in names]})
