"""Participant entry points, outside any organisation's URL space: /b/<ballot id>/ and /svar/."""

from django.urls import path

from puls.invitations import views

app_name = "invitations"

urlpatterns = [
    path("b/<uuid:ballot_id>/", views.enter_page, name="enter_page"),
    path("b/<uuid:ballot_id>/enter/", views.enter, name="enter"),
    path("svar/", views.code_entry, name="code"),
]
