from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from clusters import access
from enterprises.models import Enterprise
from sharing import notifications, services
from sharing.choices import AlertFrequency, InquiryStatus, MatchState
from sharing.matching.scoring import full_explanation
from sharing.models import Deal, Inquiry, Listing, Match, Notification, SavedSearch


class FactorSerializer(serializers.Serializer):
    """One factor of a match's score (describes full_explanation's entries in the schema)."""

    value = serializers.FloatField(help_text=_("该项得分，0–1"))
    weight = serializers.FloatField(help_text=_("该项权重"))
    contribution = serializers.FloatField(help_text=_("得分 × 权重：对匹配度的贡献"))
    detail = serializers.DictField(help_text=_("依据，如距离公里数、共同关键词"))


class MatchSerializer(serializers.ModelSerializer):
    factors = serializers.SerializerMethodField()
    my_listing = serializers.SerializerMethodField()
    other_listing = serializers.SerializerMethodField()
    my_state = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "offer",
            "request",
            "score",
            "factors",
            "algorithm_version",
            "my_listing",
            "other_listing",
            "my_state",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.DictField(child=FactorSerializer()))
    def get_factors(self, obj) -> dict:
        """Each factor with its value, weight, contribution and detail; the weight and the
        contribution are not stored (sharing.matching.scoring.full_explanation)."""
        return full_explanation(obj.factors)

    def _mine_is_offer(self, obj) -> bool:
        p = access.principal(self.context["request"].user)
        return p.is_member_of(obj.offer.enterprise_id)

    def get_my_listing(self, obj) -> int:
        return obj.offer_id if self._mine_is_offer(obj) else obj.request_id

    def get_other_listing(self, obj) -> dict:
        other = obj.request if self._mine_is_offer(obj) else obj.offer
        return {
            "id": other.pk,
            "title": other.title,
            "kind": other.kind,
            "direction": other.direction,
            "region": other.region.code,
        }

    def get_my_state(self, obj) -> str:
        return obj.offer_state if self._mine_is_offer(obj) else obj.request_state


class MatchStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=MatchState.choices)


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Matches of my enterprise's published listings, best first, with each factor's
    contribution. Empty when I turned personalised recommendations off."""

    serializer_class = MatchSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = (
            access.scope(self.request.user, Match)
            .select_related("offer", "request", "offer__region", "request__region")
            .order_by("-score", "-pk")
        )
        listing = self.request.query_params.get("listing")
        if listing and listing.isdigit():
            qs = qs.filter(offer_id=listing) | qs.filter(request_id=listing)
        return qs

    @extend_schema(request=MatchStateSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def state(self, request, pk=None):
        match = access.get_for(request.user, self.get_queryset(), pk=pk)
        body = MatchStateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = services.match_set_state(
            actor=request.user, match=match, state=body.validated_data["state"]
        )
        return Response(self.get_serializer(match).data)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class InquirySerializer(serializers.ModelSerializer):
    listing = serializers.PrimaryKeyRelatedField(queryset=Listing.objects.all())
    match = serializers.PrimaryKeyRelatedField(
        queryset=Match.objects.all(), required=False, allow_null=True
    )
    from_enterprise = serializers.SerializerMethodField()
    counterpart = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "listing",
            "match",
            "message",
            "offer_text",
            "status",
            "created_at",
            "decided_at",
            "from_enterprise",
            "counterpart",
        ]
        read_only_fields = ["status", "created_at", "decided_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["listing"].queryset = access.scope(request.user, Listing)
            fields["match"].queryset = access.scope(request.user, Match)
        return fields

    def get_from_enterprise(self, obj) -> str | None:
        user = self.context["request"].user
        return obj.from_enterprise.name if access.can(user, "view_asker", obj) else None

    def get_counterpart(self, obj) -> dict | None:
        """Name and contacts of the other side, only once the inquiry is accepted."""
        user = self.context["request"].user
        p = access.principal(user)
        if obj.status != InquiryStatus.ACCEPTED:
            return None
        if p.is_member_of(obj.listing.enterprise_id):
            other_id = obj.from_enterprise_id
        elif p.is_member_of(obj.from_enterprise_id):
            other_id = obj.listing.enterprise_id
        else:
            return None
        other = Enterprise.objects.prefetch_related("contacts").get(pk=other_id)
        if not access.can(user, "view_contacts", other):
            return None
        return {
            "id": other.pk,
            "name": other.name,
            "contacts": ContactSerializer(other.contacts.all(), many=True).data,
        }


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    body = serializers.CharField(max_length=5000)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DealSerializer(serializers.ModelSerializer):
    inquiry = serializers.PrimaryKeyRelatedField(queryset=Inquiry.objects.all())

    class Meta:
        model = Deal
        fields = [
            "id",
            "inquiry",
            "description",
            "quantity",
            "unit",
            "value_yuan",
            "start_date",
            "end_date",
            "close_listing",
            "status",
            "created_at",
            "confirmed_at",
        ]
        read_only_fields = ["status", "created_at", "confirmed_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["inquiry"].queryset = access.scope(request.user, Inquiry)
        return fields


class DealConfirmSerializer(serializers.Serializer):
    close_listing = serializers.BooleanField(required=False, default=False)


class InquiryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inquiries my enterprise sent or received. The asker sees only the anonymous listing
    until the poster accepts; then both sides get each other's name and contacts."""

    serializer_class = InquirySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            access.scope(self.request.user, Inquiry)
            .select_related("listing", "from_enterprise")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.inquiry_create(
            actor=self.request.user,
            listing=data["listing"],
            message=data.get("message", ""),
            offer_text=data.get("offer_text", ""),
            match=data.get("match"),
        )

    def _decide(self, request, pk, accept):
        inquiry = access.get_for(request.user, self.get_queryset(), pk=pk)
        inquiry = services.inquiry_decide(actor=request.user, inquiry=inquiry, accept=accept)
        return Response(self.get_serializer(inquiry).data)

    @extend_schema(request=None, responses=InquirySerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=None, responses=InquirySerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, pk, False)

    @extend_schema(request=None, responses=InquirySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        inquiry = access.get_for(request.user, self.get_queryset(), pk=pk)
        inquiry = services.inquiry_withdraw(actor=request.user, inquiry=inquiry)
        return Response(self.get_serializer(inquiry).data)

    @extend_schema(methods=["get"], responses=MessageSerializer(many=True))
    @extend_schema(methods=["post"], request=MessageSerializer, responses={201: MessageSerializer})
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        inquiry = access.get_for(request.user, self.get_queryset(), pk=pk)
        if request.method == "POST":
            body = MessageSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            message = services.inquiry_message_create(
                actor=request.user, inquiry=inquiry, body=body.validated_data["body"]
            )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        if not access.can(request.user, "message", inquiry):
            return Response([])
        return Response(
            MessageSerializer(inquiry.messages.select_related("enterprise"), many=True).data
        )


class DealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Deals recorded on accepted inquiries; each counts once the other side confirms."""

    serializer_class = DealSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            access.scope(self.request.user, Deal)
            .select_related("inquiry")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        inquiry = data.pop("inquiry")
        serializer.instance = services.deal_record(actor=self.request.user, inquiry=inquiry, **data)

    @extend_schema(request=DealConfirmSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        deal = access.get_for(request.user, self.get_queryset(), pk=pk)
        body = DealConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deal = services.deal_confirm(actor=request.user, deal=deal, **body.validated_data)
        return Response(self.get_serializer(deal).data)

    @extend_schema(request=None, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        deal = access.get_for(request.user, self.get_queryset(), pk=pk)
        deal = services.deal_dispute(
            actor=request.user, deal=deal, note=str(request.data.get("note", ""))[:2000]
        )
        return Response(self.get_serializer(deal).data)


class SavedSearchSerializer(serializers.ModelSerializer):
    frequency = serializers.ChoiceField(
        choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "params", "frequency", "created_at"]
        read_only_fields = ["created_at"]


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SavedSearchSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return access.scope(self.request.user, SavedSearch)

    def perform_create(self, serializer):
        serializer.instance = services.saved_search_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.saved_search_delete(actor=self.request.user, saved=instance)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return access.scope(self.request.user, Notification)

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"])
    def unread(self, request):
        return Response({"unread": notifications.unread_count(request.user)})

    @extend_schema(request=MarkReadSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = notifications.mark_read(actor=request.user, ids=body.validated_data.get("ids"))
        return Response({"marked": count})
