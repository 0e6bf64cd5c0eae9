from django.urls import include, path

urlpatterns = [
    path("", include("puls.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("platform/", include("puls.organisations.platform_urls")),
    path("o/<slug:org_slug>/", include("puls.organisations.urls")),
]
