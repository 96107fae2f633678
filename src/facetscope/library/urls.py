from django.urls import path

from facetscope.library import views

app_name = "library"

urlpatterns = [
    path("library/", views.library_search, name="search"),
    path("library/<slug:key>/", views.library_item, name="item"),
    path("o/<slug:slug>/library/", views.private_cases, name="private"),
]
