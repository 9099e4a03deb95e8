"""Factories of cartshare.comments (rows only: no activity is recorded; the service
`comment_create` is what tests of the discussion itself use)."""

import factory

from cartshare.comments.models import Comment
from tests.factories.accounts import CustomerFactory
from tests.factories.carts import CartFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    cart = factory.SubFactory(CartFactory)
    author = factory.SubFactory(CustomerFactory)
    text = factory.Sequence(lambda n: f"Comment {n}")
