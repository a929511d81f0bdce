from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from clusters import access
from enterprises.models import AuditEntry
from sharing import page_cache, selectors, services
from sharing.api.pagination import ListingPagination
from sharing.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    AuditEntrySerializer,
    BulkDecisionSerializer,
    ComplaintResolutionSerializer,
    ComplaintSerializer,
    ListingSearchResultSerializer,
    ListingSerializer,
    ModerationDecisionSerializer,
    TransitionSerializer,
)
from sharing.filters import ListingFilter
from sharing.models import Complaint, Listing
from sharing.moderation import listing_transition


def _fields(validated: dict) -> dict:
    return {k: v for k, v in validated.items() if k in services.EDITABLE_FIELDS}


class ListingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Listings the policy lets the user see, searched (``q``, Chinese words) and filtered.
    Members of a verified enterprise create and edit them; every status change is an
    action below and answers 409 with ``current_state`` when it lost a race."""

    serializer_class = ListingSerializer
    filterset_class = ListingFilter
    pagination_class = ListingPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.listings_visible_to(self.request.user)

    def page_rows(self, ids):
        """A page of the list (sharing.api.pagination): the same rows as get_queryset's."""
        return selectors.listing_page_rows(self.request.user, ids)

    def get_serializer_class(self):
        return ListingSearchResultSerializer if self.action == "list" else ListingSerializer

    @page_cache.api_list
    def list(self, request, *args, **kwargs):
        """``count`` is exact up to 1,000; above, it is 1000 and ``count_capped`` is true
        (``next`` still leads through every result). Answers to anonymous clients may be up
        to 30 seconds old, except that a change to a published listing shows at once."""
        return super().list(request, *args, **kwargs)

    def get_object(self):
        return access.get_for(self.request.user, self.get_queryset(), pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = services.listing_create(
            actor=self.request.user,
            submit=serializer.validated_data.get("submit", False),
            **_fields(serializer.validated_data),
        )

    def perform_update(self, serializer):
        serializer.instance = services.listing_update(
            actor=self.request.user,
            listing=serializer.instance,
            submit=serializer.validated_data.get("submit", False),
            **_fields(serializer.validated_data),
        )

    def _transition(self, request, pk, name):
        listing = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        listing = listing_transition(
            actor=request.user, listing=listing, action=name, **body.validated_data
        )
        return Response(self.get_serializer(listing).data)

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request, pk=None):
        return self._transition(request, pk, "submit")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def approve(self, request, pk=None):
        return self._transition(request, pk, "approve")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        url_path="request-changes",
    )
    def request_changes(self, request, pk=None):
        return self._transition(request, pk, "request_changes")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reject(self, request, pk=None):
        return self._transition(request, pk, "reject")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def withdraw(self, request, pk=None):
        return self._transition(request, pk, "withdraw")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def close(self, request, pk=None):
        return self._transition(request, pk, "close")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def renew(self, request, pk=None):
        return self._transition(request, pk, "renew")

    @extend_schema(request=TransitionSerializer, responses=ListingSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], url_path="take-down"
    )
    def take_down(self, request, pk=None):
        return self._transition(request, pk, "take_down")

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachments(self, request, pk=None):
        listing = access.get_for(request.user, self.get_queryset(), "edit", pk=pk)
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user, listing=listing, upload=body.validated_data["file"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class MineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every listing of my enterprise, in every state."""

    serializer_class = ListingSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return (
            selectors.listings_of_my_enterprise(self.request.user)
            .select_related("enterprise")
            .prefetch_related("enterprise__certifications", "enterprise__clusters")
        )


class ModerationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The supervisor's queue: new listings and edits of published ones, oldest first."""

    serializer_class = ListingSerializer
    permission_classes = [IsAuthenticated]

    def _everything(self) -> bool:
        return self.request.query_params.get("scope") == "all"

    def get_queryset(self):
        return selectors.moderation_queue(self.request.user, everything=self._everything())

    @extend_schema(parameters=[OpenApiParameter("scope", str, enum=["own", "all"])])
    def list(self, request, *args, **kwargs):
        if not access.principal(request.user).is_supervisor:
            raise NotFound
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ModerationDecisionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        listing = access.get_for(request.user, Listing, pk=pk)
        body = ModerationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        listing = listing_transition(
            actor=request.user, listing=listing, action=data.pop("decision"), **data
        )
        return Response(ListingSerializer(listing, context={"request": request}).data)

    @extend_schema(request=BulkDecisionSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Decide many at once; each listing is its own transaction, and the answer says
        which succeeded and why the others did not (``not_found``, ``forbidden`` ...). Not a
        supervisor: 404, as for the queue itself."""
        if not access.principal(request.user).is_supervisor:
            raise NotFound
        body = BulkDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        ids, decision = data.pop("listings"), data.pop("decision")
        results = services.listings_decide_bulk(
            actor=request.user, ids=ids, action=decision, **data
        )
        return Response({"results": results})

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"])
    def figures(self, request):
        if not access.principal(request.user).is_supervisor:
            raise NotFound
        return Response(selectors.supervisor_figures(request.user))


class ComplaintViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Reports about published listings: reporters see their own, supervisors those they
    supervise; supervisors uphold (take down, optionally suspend) or dismiss."""

    serializer_class = ComplaintSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return access.scope(self.request.user, Complaint).order_by("created_at", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.complaint_create(
            actor=self.request.user,
            listing=data["listing"],
            reason=data["reason"],
            text=data.get("text", ""),
        )

    @extend_schema(request=ComplaintResolutionSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def uphold(self, request, pk=None):
        complaint = access.get_for(request.user, Complaint, "dismiss", pk=pk)
        body = ComplaintResolutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            services.complaint_uphold(
                actor=request.user,
                complaint=complaint,
                reason=body.validated_data.get("reason", ""),
                note=body.validated_data.get("resolution", ""),
                suspend_enterprise=body.validated_data["suspend_enterprise"],
            )
        complaint.refresh_from_db()
        return Response(ComplaintSerializer(complaint, context={"request": request}).data)

    @extend_schema(request=ComplaintResolutionSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        complaint = access.get_for(request.user, Complaint, "dismiss", pk=pk)
        body = ComplaintResolutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = services.complaint_dismiss(
            actor=request.user,
            complaint=complaint,
            resolution=body.validated_data.get("resolution", ""),
        )
        return Response(ComplaintSerializer(complaint, context={"request": request}).data)


class AuditViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The supervision log, read-only, for supervisors within their scope."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return access.scope(self.request.user, AuditEntry).order_by("-seq")

    def list(self, request, *args, **kwargs):
        if not access.principal(request.user).is_supervisor:
            raise NotFound
        return super().list(request, *args, **kwargs)
