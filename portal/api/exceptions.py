"""Turn the services' errors into API answers: field errors 400, conflicts 409."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clusters.errors import Conflict


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail=detail)
    if isinstance(exc, Conflict):
        return Response(
            {"detail": str(exc.message), "current_state": exc.current_state},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
