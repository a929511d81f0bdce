"""Saved searches: run them against new listings and alert their owners."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from clusters import access
from sharing.choices import AlertFrequency, ListingStatus
from sharing.filters import ListingFilter
from sharing.models import Listing, SavedSearch
from sharing.notifications import notify

# Only what a search box and the filters can express is stored and replayed.
SEARCH_PARAMS = tuple(name for name in ListingFilter.base_filters if name != "status")


def clean_params(params: dict) -> dict:
    """Keep known filter parameters with non-empty values; validate them with the FilterSet
    so a saved search can always be replayed. Raises ValueError naming a bad parameter."""
    if not isinstance(params, dict):
        raise ValueError("params: expected an object of search parameters")
    kept = {k: str(v) for k, v in params.items() if k in SEARCH_PARAMS and str(v).strip()}
    data = QueryDict(mutable=True)
    data.update(kept)
    filterset = ListingFilter(data, queryset=Listing.objects.none())
    if not filterset.is_valid():
        field, errors = next(iter(filterset.errors.items()))
        raise ValueError(f"{field}: {'; '.join(errors)}")
    return kept


def matching_listings(saved: SavedSearch, queryset=None):
    data = QueryDict(mutable=True)
    data.update(saved.params)
    base = queryset if queryset is not None else access.scope(saved.user, Listing)
    return ListingFilter(data, queryset=base.filter(status=ListingStatus.PUBLISHED)).qs


def saved_search_alerts_for(listing: Listing, limit: int = 500) -> int:
    """Alert the owners of immediate saved searches that this newly published listing hits.

    Runs inside the publishing transaction; notices go out after commit.
    """
    hits = 0
    searches = (
        SavedSearch.objects.filter(frequency=AlertFrequency.IMMEDIATE)
        .exclude(user__membership__enterprise_id=listing.enterprise_id)
        .select_related("user")[:limit]
    )
    for saved in searches:
        visible = access.scope(saved.user, Listing).filter(pk=listing.pk)
        if not matching_listings(saved, visible).exists():
            continue
        hits += 1

        def message(saved=saved):
            return (
                _("搜索“%(name)s”有新结果：%(title)s")
                % {"name": saved.name, "title": listing.title},
                _("您保存的搜索有一条新发布的信息。"),
            )

        notify(
            users=[saved.user], kind="saved_search", message=message, url=f"/listings/{listing.pk}/"
        )
    return hits
