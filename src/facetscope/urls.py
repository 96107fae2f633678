from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("facetscope.accounts.urls")),
    path("", include("facetscope.organisations.urls")),
    path("", include("facetscope.assessments.urls")),
    path("", include("facetscope.portfolio.urls")),
    path("", include("facetscope.library.urls")),
    path("", include("facetscope.core.urls")),
]
