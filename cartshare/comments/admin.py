"""Back office: staff can read and remove comments (moderation), not write them."""

from django.contrib import admin
from django.http import HttpRequest

from cartshare.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "cart", "author", "created_at", "edited_at"]
    list_select_related = ["cart", "author"]
    search_fields = ["text", "author__email", "cart__name"]
    readonly_fields = ["cart", "author", "text", "created_at", "updated_at", "edited_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
