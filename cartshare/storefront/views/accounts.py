"""Login, logout, registration and password change."""

from django.http import Http404


def login_view(request):
    raise Http404


def logout_view(request):
    raise Http404


def register(request):
    raise Http404


def password_change(request):
    raise Http404
