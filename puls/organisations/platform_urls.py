from django.urls import path

from puls.organisations.views import platform

app_name = "platform"

urlpatterns = [
    path("", platform.organisation_list, name="organisation_list"),
    path("new/", platform.organisation_create, name="organisation_create"),
]
