"""Catalog pages: product list with search and pagination, product page."""

from django.http import Http404


def product_list(request):
    raise Http404  # built in the foundation issue


def product_detail(request, sku):
    raise Http404
