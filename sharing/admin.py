from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sharing.models import Complaint, Listing, ListingAttachment, ModerationDecision


class AttachmentInline(admin.TabularInline):
    model = ListingAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("重新匹配所选信息"))
def rematch_selected(modeladmin, request, queryset):
    from sharing.matching.engine import mark_outstanding
    from sharing.tasks import match_listing_task

    ids = list(queryset.filter(status="published").values_list("pk", flat=True))
    mark_outstanding(Q(pk__in=ids))
    for listing_id in ids:
        match_listing_task.delay(listing_id)
    modeladmin.message_user(request, _("已加入匹配队列：%(n)d 条") % {"n": len(ids)})


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    actions = [rematch_selected]
    list_display = [
        "title",
        "kind",
        "direction",
        "enterprise",
        "status",
        "published_at",
        "expires_on",
    ]
    list_filter = ["status", "kind", "direction", "visibility"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "industry", "region", "park"]
    # Status changes go through the moderation pages, which check rights and audit them.
    readonly_fields = [
        "status",
        "pending_changes",
        "submitted_at",
        "published_at",
        "status_changed_at",
        "moderation_reason",
        "moderation_note",
        "created_by",
    ]
    inlines = [AttachmentInline]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    list_display = ["listing", "decision", "reason", "moderator", "submitted_at", "decided_at"]
    list_filter = ["decision", "reason", "was_edit"]
    list_select_related = ["listing", "moderator"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["listing", "reason", "status", "created_at", "handled_at"]
    list_filter = ["status", "reason"]
    search_fields = ["listing__title", "text"]
    list_select_related = ["listing"]
    readonly_fields = ["status", "handled_by", "handled_at"]
