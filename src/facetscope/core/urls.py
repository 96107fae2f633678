from django.urls import path

from facetscope.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("patterns/", views.patterns, name="patterns"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
]
