from django.urls import path

from sharing import views
from sharing import views_connections as conn

app_name = "sharing"

urlpatterns = [
    path("listings/", views.listing_list, name="list"),
    path("listings/new/", views.listing_create, name="create"),
    path("listings/<int:pk>/", views.listing_detail, name="detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="edit"),
    path("listings/<int:pk>/report/", views.complain, name="complain"),
    path("listings/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "listings/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "listings/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("listings/<int:pk>/matches/", conn.listing_matches, name="matches"),
    path("listings/<int:pk>/inquire/", conn.inquiry_create, name="inquire"),
    path("listings/<int:pk>/<str:action>/", views.listing_action, name="action"),
    path("matches/<int:pk>/dismiss/", conn.match_dismiss, name="match_dismiss"),
    path("inquiries/", conn.inquiry_list, name="inquiries"),
    path("inquiries/<int:pk>/", conn.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/<str:action>/", conn.inquiry_action, name="inquiry_action"),
    path("deals/<int:pk>/<str:action>/", conn.deal_action, name="deal_action"),
    path("my/searches/", conn.saved_searches, name="saved_searches"),
    path("my/searches/<int:pk>/delete/", conn.saved_search_delete, name="saved_search_delete"),
    path("my/notifications/", conn.notification_list, name="notifications"),
    path("my/notifications/read/", conn.notifications_read, name="notifications_read"),
    path("my/notifications/badge/", conn.notification_badge, name="notification_badge"),
    path("my/preferences/", conn.preferences, name="preferences"),
    path("supervision/rematch/", conn.rematch, name="rematch"),
    path("my/listings/", views.my_listings, name="mine"),
    path("supervision/listings/", views.moderation_queue, name="moderation"),
    path("supervision/listings/bulk/", views.moderation_bulk, name="moderation_bulk"),
    path("supervision/complaints/<int:pk>/", views.complaint_decide, name="complaint_decide"),
]
