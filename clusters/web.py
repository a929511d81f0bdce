"""Small helpers the HTML views of every app share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
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


def paginate(request, queryset, per_page: int = 20):
    """The requested page; an out-of-range or malformed page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string without ``page``, so pagination links keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def sentences(items) -> str:
    """Join messages for display: "；" in Chinese, "; " in English."""
    return pgettext("separator between sentences", "；").join(str(i) for i in items)


def enumeration(items) -> str:
    """Join names in a list: "、" in Chinese, ", " in English."""
    return pgettext("separator in a list of names", "、").join(str(i) for i in items)
