import copy
from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters import access
from clusters.models import IndustryCode, Park, Region
from enterprises.choices import VerificationStatus
from enterprises.models import AuditEntry
from sharing.choices import ComplaintReason, ModerationReason
from sharing.models import Complaint, Listing, ListingAttachment
from sharing.services import EDITABLE_FIELDS


def poster_badge(enterprise) -> dict:
    """What the public learns about the poster: trust, not identity. A plain dict, built
    for each row of a list: a serializer instance per row deep-copied its fields each time
    (a fifth of the search API's serializing, benchmark, issue 7)."""
    certs = getattr(enterprise, "valid_certifications", None)
    if certs is None:
        certs = [c for c in enterprise.certifications.all() if c.is_valid]
    clusters = getattr(enterprise, "badge_clusters", None)  # sharing.selectors.attach_badges
    if clusters is None:
        clusters = [c.name for c in enterprise.clusters.all()]
    return {
        "verified": enterprise.status == VerificationStatus.VERIFIED,
        "certifications": sorted({c.kind for c in certs}),
        "clusters": clusters,
        "size_class": enterprise.size_class,
    }


class PosterBadgeSerializer(serializers.Serializer):
    """What the public learns about the poster: trust, not identity."""

    # Describes poster_badge's dict in the API schema.

    verified = serializers.BooleanField(read_only=True)
    certifications = serializers.ListField(child=serializers.CharField(), read_only=True)
    clusters = serializers.ListField(child=serializers.CharField(), read_only=True)
    size_class = serializers.CharField()

    def to_representation(self, enterprise):
        return poster_badge(enterprise)


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ListingAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return f"/listings/{obj.listing_id}/attachments/{obj.pk}/"


class ListingSerializer(serializers.ModelSerializer):
    industry = serializers.SlugRelatedField(slug_field="code", queryset=IndustryCode.objects.all())
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False
    )
    park = serializers.PrimaryKeyRelatedField(
        queryset=Park.objects.all(), required=False, allow_null=True
    )
    attributes = serializers.DictField(required=False)
    poster = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    submit = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text=_("创建或修改后立即提交审核")
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "status",
            "published_at",
            "moderation_reason",
            "moderation_note",
            "pending_changes",
            "poster",
            "enterprise",
            "submit",
        ]
        read_only_fields = [
            "status",
            "published_at",
            "moderation_reason",
            "moderation_note",
            "pending_changes",
        ]

    # The fields ModelSerializer derives from the model, per serializer class (see get_fields).
    _derived: ClassVar[dict[type, dict]] = {}

    def get_fields(self):
        """ModelSerializer's fields, derived from the model once per class and copied for each
        instance, as DRF copies declared fields: deriving them again for every request (the
        model's fields, their validators, choices and help texts) took about 3 ms of each
        search page (benchmark, issue 7)."""
        derived = ListingSerializer._derived
        cls = type(self)
        if cls not in derived:
            derived[cls] = super().get_fields()
        return copy.deepcopy(derived[cls])

    @extend_schema_field(PosterBadgeSerializer)
    def get_poster(self, obj) -> dict:
        return poster_badge(obj.enterprise)

    def get_enterprise(self, obj) -> int | None:
        """The poster's id, only for its members and supervisors (anonymous to the rest)."""
        request = self.context.get("request")
        if request is not None and access.can(request.user, "view_owner", obj):
            return obj.enterprise_id
        return None

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        if request is None or not access.can(request.user, "view_owner", obj):
            for private in ("moderation_reason", "moderation_note", "pending_changes"):
                data[private] = None
        return data


class TransitionSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=ModerationReason.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    expected_status = serializers.CharField(
        required=False, max_length=20, help_text=_("操作者看到的状态；已变化时返回 409")
    )


class ModerationDecisionSerializer(TransitionSerializer):
    decision = serializers.ChoiceField(
        choices=[("approve", _("通过")), ("request_changes", _("要求修改")), ("reject", _("拒绝"))]
    )


class BulkDecisionSerializer(ModerationDecisionSerializer):
    listings = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=100)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ComplaintSerializer(serializers.ModelSerializer):
    listing = serializers.PrimaryKeyRelatedField(queryset=Listing.objects.all())
    reason = serializers.ChoiceField(choices=ComplaintReason.choices)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "listing",
            "reason",
            "text",
            "status",
            "created_at",
            "handled_at",
            "resolution",
        ]
        read_only_fields = ["status", "created_at", "handled_at", "resolution"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["listing"].queryset = access.scope(request.user, Listing)
        return fields


class ComplaintResolutionSerializer(serializers.Serializer):
    resolution = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.ChoiceField(
        choices=ModerationReason.choices, required=False, allow_blank=True
    )
    suspend_enterprise = serializers.BooleanField(required=False, default=False)


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "created_at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "from_state",
            "to_state",
            "reason",
            "data",
            "prev_hash",
            "hash",
        ]


class ListingSearchResultSerializer(ListingSerializer):
    """A listing in the search list: the same fields as ``ListingSerializer``. Its own name
    gives the list its own paginated schema (``count_capped``, see sharing/api/pagination.py),
    apart from the other listing lists, which count exactly."""

    class Meta(ListingSerializer.Meta):
        pass
