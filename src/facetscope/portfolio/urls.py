from django.urls import path

from facetscope.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("o/<slug:slug>/portfolio/", views.project_list, name="projects"),
    path("o/<slug:slug>/portfolio/new/", views.project_new, name="project_new"),
    path("o/<slug:slug>/portfolio/import/", views.project_import, name="import"),
    path(
        "o/<slug:slug>/portfolio/import-template.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("o/<slug:slug>/portfolio/map/", views.portfolio_map, name="map"),
    path("o/<slug:slug>/portfolio/map.svg", views.portfolio_map_svg, name="map_svg"),
    path("o/<slug:slug>/portfolio/balance/", views.balance, name="balance"),
    path("o/<slug:slug>/portfolio/reviews/", views.review_list, name="reviews"),
    path("o/<slug:slug>/portfolio/synergies/", views.synergies, name="synergies"),
    path("o/<slug:slug>/portfolio/reviews/<int:pk>/", views.review_detail, name="review"),
    path("o/<slug:slug>/portfolio/projects.<str:fmt>", views.export, name="export"),
    path("o/<slug:slug>/portfolio/<int:pk>/", views.project_detail, name="project"),
    path("o/<slug:slug>/portfolio/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("o/<slug:slug>/portfolio/<int:pk>/place/", views.project_place, name="place"),
    path("o/<slug:slug>/portfolio/<int:pk>/decide/", views.project_decide, name="decide"),
    path(
        "o/<slug:slug>/portfolio/<int:pk>/public-value/",
        views.project_public_value,
        name="public_value",
    ),
]
