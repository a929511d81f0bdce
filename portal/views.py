from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from clusters import selectors as clusters_selectors
from clusters.models import Region
from portal.health import broker_ok, database_ok
from sharing import selectors as sharing_selectors
from sharing.choices import ListingStatus


@never_cache
@require_GET
def healthz(request):
    """200 when the database (and, when configured, the broker) answer; 503 otherwise."""
    checks = {"database": "ok" if database_ok() else "down"}
    if settings.REDIS_URL:
        checks["broker"] = "ok" if broker_ok(settings.REDIS_URL) else "down"
    else:
        checks["broker"] = "not configured (tasks run in-process)"
    healthy = "down" not in checks.values()
    return JsonResponse(
        {"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503
    )


@require_GET
def favicon(request):
    """Browsers and bookmarks ask for /favicon.ico whatever the page says: send them the icon
    (the site's icon is an SVG among the static files) instead of a 404."""
    return redirect(static("img/favicon.svg"), permanent=True)


def home(request):
    """What the portal is, then Hubei's clusters and parks by prefecture."""
    context = {
        "province": Region.objects.filter(level="province").first(),
        "prefectures": clusters_selectors.prefectures_with_counts(),
        "clusters": clusters_selectors.clusters(),
        "parks": clusters_selectors.parks(),
        "latest_listings": sharing_selectors.listings_visible_to(request.user).filter(
            status=ListingStatus.PUBLISHED
        )[:6],
    }
    return render(request, "home.html", context)


def not_found(request, exception=None):
    """404: JSON under /api/ (what the API's schema documents), the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404)
    return page_not_found(request, exception)
