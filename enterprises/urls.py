from django.urls import path

from enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/start/", views.onboarding, name="onboarding"),
    path("enterprises/new/", views.enterprise_create, name="create"),
    path("enterprises/join/", views.join, name="join"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("enterprises/<int:pk>/join/", views.join_request_create, name="join_request"),
    path("enterprises/<int:pk>/certifications/", views.certification_add, name="certification_add"),
    path(
        "enterprises/<int:pk>/certifications/<int:cert_pk>/remove/",
        views.certification_remove,
        name="certification_remove",
    ),
    path("enterprises/<int:pk>/members/", views.members, name="members"),
    path(
        "enterprises/<int:pk>/members/<int:member_pk>/", views.member_update, name="member_update"
    ),
    path(
        "enterprises/<int:pk>/join-requests/<int:request_pk>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "enterprises/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("enterprises/<int:pk>/<str:action>/", views.enterprise_transition, name="transition"),
    path("enterprises/invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("supervision/enterprises/", views.verification_queue, name="queue"),
]
