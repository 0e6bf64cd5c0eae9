"""Live response rate of one survey, mounted at /o/<org>/surveys/<survey id>/rate/."""

from django.urls import path

from puls.surveys import views_rate

app_name = "survey_rate"

urlpatterns = [
    path("", views_rate.rate_page, name="page"),
    path("figures/", views_rate.rate_fragment, name="fragment"),
]
