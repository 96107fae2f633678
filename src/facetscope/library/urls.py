from django.urls import path

from facetscope.library import views

app_name = "library"

urlpatterns = [
    path("library/", views.library_search, name="search"),
    # Installation administrators manage the shared library. These paths have three
    # parts, so that no item key can hide them.
    path("library/manage/new/<slug:kind>/", views.item_new, name="new"),
    path("library/manage/import/", views.library_import, name="import"),
    path("library/manage/export/<slug:fmt>/", views.library_export, name="export"),
    path("library/<slug:key>/", views.library_item, name="item"),
    path("library/<slug:key>/edit/", views.item_edit, name="edit"),
    path("library/<slug:key>/delete/", views.item_delete, name="delete"),
    # An organisation's private cases (members who may contribute).
    path("o/<slug:slug>/library/", views.private_cases, name="private"),
    path("o/<slug:slug>/library/<slug:key>/edit/", views.private_case_edit, name="private_edit"),
    path(
        "o/<slug:slug>/library/<slug:key>/delete/",
        views.private_case_delete,
        name="private_delete",
    ),
]
