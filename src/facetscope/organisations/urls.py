from django.urls import path

from facetscope.organisations import views

app_name = "organisations"

urlpatterns = [
    path("orgs/new/", views.organisation_new, name="new"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("join/<str:token>/", views.join_link_accept, name="join_accept"),
    path("o/<slug:slug>/", views.organisation_detail, name="detail"),
    path("o/<slug:slug>/settings/", views.organisation_settings, name="settings"),
    path("o/<slug:slug>/leave/", views.organisation_leave, name="leave"),
    path("o/<slug:slug>/units/", views.unit_list, name="units"),
    path("o/<slug:slug>/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("o/<slug:slug>/units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("o/<slug:slug>/members/", views.member_list, name="members"),
    path("o/<slug:slug>/members/invite/", views.member_invite, name="invite"),
    path("o/<slug:slug>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("o/<slug:slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "o/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("o/<slug:slug>/join-links/", views.join_link_create, name="join_link_create"),
    path(
        "o/<slug:slug>/join-links/<int:pk>/revoke/", views.join_link_revoke, name="join_link_revoke"
    ),
    path("o/<slug:slug>/audit/", views.audit_log, name="audit"),
    path("o/<slug:slug>/permissions/", views.permissions_page, name="permissions"),
]
