from django.contrib import admin

from enterprises.events import certifications_changed_for
from enterprises.models import (
    AuditEntry,
    Certification,
    ContactPerson,
    Enterprise,
    Invitation,
    JoinRequest,
    Membership,
)


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region", "park", "size_class", "status", "created_at"]
    list_filter = ["status", "size_class", "park__level"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["region", "park"]
    autocomplete_fields = ["region", "park", "industry", "clusters"]
    # Verification goes through the supervisors' pages so that it is audited.
    readonly_fields = ["status", "status_reason", "status_changed_at", "size_class", "created_by"]
    inlines = [ContactInline, CertificationInline, MembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The listings' certification facets follow (enterprises.events).
        if any(fs.model is Certification and fs.has_changed() for fs in formsets):
            certifications_changed_for(form.instance.pk)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "enterprise__name"]
    list_select_related = ["user", "enterprise"]
    autocomplete_fields = ["user", "enterprise"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "enterprise",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "enterprise__name"]
    list_select_related = ["enterprise"]
    exclude = ["token_hash"]
    readonly_fields = [
        "enterprise",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "enterprise__name"]
    list_select_related = ["user", "enterprise"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the supervision log can be read here, never changed or deleted."""

    list_display = [
        "seq",
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_id", "reason"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
