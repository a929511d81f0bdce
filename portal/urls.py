from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from portal import views
from portal.stats import views as stats_views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("clusters.urls")),
    path("", include("enterprises.urls")),
    path("", include("sharing.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("dashboards/", include("portal.stats.urls")),
    path("statistics/", stats_views.public_statistics, name="statistics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so no inline script is
    # needed and the Content-Security-Policy stays strict; assets come from the sidecar.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "clusters.web.permission_denied"
handler404 = "portal.views.not_found"
