from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from clusters import access
from enterprises import selectors, services
from enterprises.api.serializers import (
    EnterpriseSerializer,
    EnterpriseTransitionSerializer,
    InvitationAcceptSerializer,
    InvitationSerializer,
    JoinRequestSerializer,
    MembershipSerializer,
)
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise, Invitation, JoinRequest, Membership


class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprises the policy lets the user see. Anyone signed in without an enterprise may
    register one; its admins update it; supervisors verify, reject, suspend, reinstate."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        return selectors.enterprises_visible_to(self.request.user).prefetch_related("contacts")

    def get_object(self):
        return access.get_for(self.request.user, self.get_queryset(), pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        contacts = data.pop("contacts_data", [])
        certifications = data.pop("certifications", [])
        serializer.instance = services.enterprise_create(
            actor=self.request.user, contacts=contacts, certifications=certifications, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        contacts = data.pop("contacts_data", None)
        data.pop("certifications", None)  # managed one by one through the web pages
        clusters = data.pop("clusters", None)
        enterprise = serializer.instance
        with transaction.atomic():
            enterprise = services.enterprise_update(
                actor=self.request.user, enterprise=enterprise, clusters=clusters, **data
            )
            if contacts is not None:
                services.contacts_replace(
                    actor=self.request.user, enterprise=enterprise, contacts=contacts
                )
        serializer.instance = enterprise

    def _transition(self, request, pk, name):
        enterprise = access.get_for(request.user, self.get_queryset(), pk=pk)
        body = EnterpriseTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enterprise = services.enterprise_transition(
            actor=request.user,
            enterprise=enterprise,
            action=name,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(enterprise).data)

    @extend_schema(request=EnterpriseTransitionSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def verify(self, request, pk=None):
        return self._transition(request, pk, "verify")

    @extend_schema(request=EnterpriseTransitionSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reject(self, request, pk=None):
        return self._transition(request, pk, "reject")

    @extend_schema(request=EnterpriseTransitionSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def suspend(self, request, pk=None):
        return self._transition(request, pk, "suspend")

    @extend_schema(request=EnterpriseTransitionSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reinstate(self, request, pk=None):
        return self._transition(request, pk, "reinstate")

    @extend_schema(request=EnterpriseTransitionSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def resubmit(self, request, pk=None):
        """A rejected enterprise's admin asks for verification again after correcting it."""
        return self._transition(request, pk, "resubmit")


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of the enterprises the user belongs to or supervises. Admins change roles and
    remove members; a member may leave (DELETE their own membership)."""

    serializer_class = MembershipSerializer
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return access.scope(self.request.user, Membership).select_related("user")

    def perform_update(self, serializer):
        serializer.instance = services.membership_change_role(
            actor=self.request.user,
            membership=serializer.instance,
            role=serializer.validated_data.get("role", serializer.instance.role),
        )

    def perform_destroy(self, instance):
        services.membership_remove(actor=self.request.user, membership=instance)


class InvitationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Invitations of the user's enterprise (admins only)."""

    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return access.scope(self.request.user, Invitation)

    def perform_create(self, serializer):
        p = access.principal(self.request.user)
        if not p.enterprise_id:
            raise NotFound
        enterprise = Enterprise.objects.get(pk=p.enterprise_id)
        invitation, _token = services.invitation_create(
            actor=self.request.user, enterprise=enterprise, **serializer.validated_data
        )
        serializer.instance = invitation

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = access.get_for(request.user, Invitation, pk=pk)
        services.invitation_revoke(actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=InvitationAcceptSerializer, responses=MembershipSerializer)
    @action(detail=False, methods=["post"])
    def accept(self, request):
        body = InvitationAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.invitation_accept(
            actor=request.user, token=body.validated_data["token"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class JoinRequestViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Requests to join an enterprise: the user's own, and those to the enterprise they admin."""

    serializer_class = JoinRequestSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return access.scope(self.request.user, JoinRequest).select_related("user")

    def perform_create(self, serializer):
        serializer.instance = services.join_request_create(
            actor=self.request.user,
            enterprise=serializer.validated_data["enterprise"],
            message=serializer.validated_data.get("message", ""),
        )

    def _decide(self, request, pk, approve):
        join_request = access.get_for(request.user, self.get_queryset(), pk=pk)
        join_request = services.join_request_decide(
            actor=request.user, join_request=join_request, approve=approve
        )
        return Response(self.get_serializer(join_request).data)

    @extend_schema(request=None, responses=JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=None, responses=JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, pk, False)
