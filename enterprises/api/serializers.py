from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clusters import access
from clusters.models import Cluster, IndustryCode, Park, Region
from enterprises.choices import (
    ASSET_BAND_CHOICES,
    REVENUE_BAND_CHOICES,
    CertificationKind,
    MemberRole,
)
from enterprises.models import Enterprise, Invitation, JoinRequest, Membership


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    position = serializers.CharField(max_length=64, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True)


class CertificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=CertificationKind.choices)
    other_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    number = serializers.CharField(max_length=64)
    valid_until = serializers.DateField()
    is_valid = serializers.BooleanField(read_only=True)


class EnterpriseSerializer(serializers.ModelSerializer):
    """Public fields for everyone who may see the enterprise; contacts only for those the
    policy allows (members and supervisors)."""

    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    park = serializers.PrimaryKeyRelatedField(
        queryset=Park.objects.all(), required=False, allow_null=True
    )
    industry = serializers.SlugRelatedField(slug_field="code", queryset=IndustryCode.objects.all())
    clusters = serializers.PrimaryKeyRelatedField(
        queryset=Cluster.objects.all(), many=True, required=False
    )
    revenue_band = serializers.ChoiceField(choices=REVENUE_BAND_CHOICES)
    assets_band = serializers.ChoiceField(
        choices=ASSET_BAND_CHOICES, required=False, allow_null=True
    )
    certifications = CertificationSerializer(many=True, required=False)
    contacts = serializers.SerializerMethodField()
    contacts_input = ContactSerializer(
        many=True, required=False, write_only=True, source="contacts_data"
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "region",
            "park",
            "clusters",
            "industry",
            "employees",
            "revenue_band",
            "assets_band",
            "size_class",
            "description",
            "website",
            "status",
            "status_reason",
            "certifications",
            "contacts",
            "contacts_input",
            "created_at",
        ]
        read_only_fields = ["size_class", "status", "status_reason", "created_at"]
        extra_kwargs = {"credit_code": {"validators": []}}  # the service reports duplicates

    def get_contacts(self, obj) -> list[dict] | None:
        request = self.context.get("request")
        if request is None or not access.can(request.user, "view_contacts", obj):
            return None
        return ContactSerializer(obj.contacts.all(), many=True).data


class EnterpriseTransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("拒绝、暂停和恢复时必填")
    )


class MembershipSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.name", read_only=True)
    user_email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "enterprise", "user_name", "user_email", "role", "joined_at"]
        read_only_fields = ["enterprise", "joined_at"]


class InvitationSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "enterprise",
            "email",
            "role",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = ["enterprise", "created_at", "expires_at", "accepted_at", "revoked_at"]


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=128)


class JoinRequestSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    user_name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = JoinRequest
        fields = ["id", "enterprise", "user_name", "message", "status", "created_at", "decided_at"]
        read_only_fields = ["status", "created_at", "decided_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # Only enterprises the user may see: an invisible one answers "does not exist".
            fields["enterprise"].queryset = access.scope(request.user, Enterprise)
        return fields
