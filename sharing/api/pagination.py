"""Pagination of the public listing list and search (``/api/v1/listings/``)."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from sharing.pagination import COUNT_CAP, RankedPaginator


class ListingPagination(PageNumberPagination):
    """The portal's page-number pagination (``page``, ``page_size`` up to 200, 20 by default),
    with the page's ids ranked first and a capped count (:mod:`sharing.pagination`).

    ``count`` is exact up to 1,000. Above that it is 1000 and ``count_capped`` is true: there
    are more than 1,000 results. ``next`` still leads through all of them, so a client that
    follows ``next`` gets every result. A page past the last answers 404, as before.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = RankedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        # The page's rows come from the view's own (scoped, unfiltered) rows, with the
        # relations the serializer reads, by the ids the filtered query ranked: the view's
        # ``page_rows(ids)`` where it has one, else its queryset.
        fetch = None
        if view is not None and hasattr(view, "page_rows"):
            fetch = view.page_rows
        elif view is not None and hasattr(view, "get_queryset"):
            fetch = lambda ids: view.get_queryset().filter(pk__in=ids)  # noqa: E731
        paginator = self.django_paginator_class(queryset, page_size, fetch=fetch)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            msg = self.invalid_page_message.format(page_number=page_number, message=str(exc))
            raise NotFound(msg) from None
        # The browsable API's page links; without asking for num_pages, which above the cap
        # would count every match.
        if (self.page.has_next() or self.page.has_previous()) and self.template is not None:
            self.display_page_controls = True
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_capped", "results"]
        properties = response["properties"]
        properties["count"] = {
            "type": "integer",
            "example": 123,
            "description": (
                f"The number of results, counted up to {COUNT_CAP:,}. Above that it is "
                f"{COUNT_CAP} and `count_capped` is true."
            ),
        }
        properties["count_capped"] = {
            "type": "boolean",
            "example": False,
            "description": (
                f"True when there are more than {COUNT_CAP:,} results: `count` is then a lower "
                "bound, and `next` still leads through every result."
            ),
        }
        # Keep the documented order: count, count_capped, next, previous, results.
        response["properties"] = {
            key: properties[key] for key in ("count", "count_capped", "next", "previous", "results")
        }
        return response
