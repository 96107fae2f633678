from django.urls import path

from facetscope.assessments import views_manage, views_respond

app_name = "assessments"

urlpatterns = [
    path("o/<slug:slug>/campaigns/", views_manage.campaign_list, name="campaigns"),
    path("o/<slug:slug>/campaigns/new/", views_manage.campaign_new, name="campaign_new"),
    path("o/<slug:slug>/campaigns/<int:pk>/", views_manage.campaign_detail, name="campaign"),
    path("o/<slug:slug>/campaigns/<int:pk>/close/", views_manage.campaign_close, name="close"),
    path(
        "o/<slug:slug>/campaigns/<int:pk>/results/", views_manage.campaign_results, name="results"
    ),
    path(
        "o/<slug:slug>/campaigns/<int:pk>/results.json",
        views_manage.campaign_result_json,
        name="results_json",
    ),
    path(
        "o/<slug:slug>/campaigns/<int:pk>/responses.<str:fmt>",
        views_manage.campaign_export,
        name="export",
    ),
    path(
        "o/<slug:slug>/campaigns/<int:pk>/quality/",
        views_manage.campaign_quality_page,
        name="quality",
    ),
    path("o/<slug:slug>/campaigns/<int:pk>/import/", views_manage.campaign_import, name="import"),
    path("o/<slug:slug>/campaigns/<int:pk>/start/", views_respond.start_member, name="start"),
    path("c/<str:link_token>/", views_respond.start_link, name="start_link"),
    path("respond/<str:token>/", views_respond.respond, name="respond"),
    path("respond/<str:token>/about/", views_respond.about, name="about"),
    path("respond/<str:token>/page/<int:number>/", views_respond.section, name="section"),
    path("respond/<str:token>/saved/", views_respond.saved, name="saved"),
    path("respond/<str:token>/review/", views_respond.review, name="review"),
    path("respond/<str:token>/result/", views_respond.result, name="result"),
]
