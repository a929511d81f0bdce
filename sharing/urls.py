from django.urls import path

from sharing import views

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
    path("listings/<int:pk>/<str:action>/", views.listing_action, name="action"),
    path("my/listings/", views.my_listings, name="mine"),
    path("supervision/listings/", views.moderation_queue, name="moderation"),
    path("supervision/listings/bulk/", views.moderation_bulk, name="moderation_bulk"),
    path("supervision/complaints/<int:pk>/", views.complaint_decide, name="complaint_decide"),
]
