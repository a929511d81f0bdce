"""Small helpers the HTML views of every app share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has the field,
    otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def paginate(request, queryset, per_page: int = 20, *, param: str = "page"):
    """The requested page (``?page=``, or ``param`` for a second list on the same page); an
    out-of-range or malformed page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def query_without_page(request, param: str = "page") -> str:
    """The current query string without ``page`` (or ``param``), so pagination links keep the
    filters."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()


def sentences(items) -> str:
    """Join messages for display: "；" in Chinese, "; " in English."""
    return pgettext("separator between sentences", "；").join(str(i) for i in items)


def enumeration(items) -> str:
    """Join names in a list: "、" in Chinese, ", " in English."""
    return pgettext("separator in a list of names", "、").join(str(i) for i in items)


def permission_denied(request, exception=None):
    """The answer to a refusal (``handler403``): the user sees the object (what they may not
    see is a 404, from :func:`clusters.access.get_for`) but may not do this. Views and services
    refuse by raising ``PermissionDenied`` before they write anything, so nothing was changed;
    the page says so in the user's language, with the way back. JSON under /api/, for what DRF
    does not answer itself."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("您没有执行该操作的权限。")}, status=403)
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    context = {
        # A view may name the reason: ``raise PermissionDenied(_("..."))``.
        "message": str(exception) if exception is not None else "",
        "back": back if back != request.build_absolute_uri() else "",
        "nothing_changed": request.method not in ("GET", "HEAD", "OPTIONS"),
    }
    return render(request, "403.html", context, status=403)
