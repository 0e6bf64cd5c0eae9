"""Facilitator pages, mounted at /o/<org_slug>/dialogue/."""

from django.urls import URLPattern, URLResolver, include, path

from puls.participation import views_admin as views
from puls.participation.round_kinds import round_kinds

app_name = "participation"

_round = "<uuid:process_id>/rounds/<uuid:round_id>/"
_contribution = _round + "contributions/<uuid:contribution_id>/"
_theme = "<uuid:process_id>/themes/<uuid:theme_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.process_list, name="process_list"),
    path("new/", views.process_create, name="process_create"),
    path("<uuid:process_id>/", views.process_detail, name="process_detail"),
    path("<uuid:process_id>/edit/", views.process_edit, name="process_edit"),
    path("<uuid:process_id>/rounds/new/", views.round_create, name="round_create"),
    path(_round, views.round_detail, name="round_detail"),
    path(_round + "edit/", views.round_edit, name="round_edit"),
    path(_round + "launch/", views.round_launch, name="round_launch"),
    path(_round + "close/", views.round_close, name="round_close"),
    path(_contribution + "hide/", views.contribution_hide, name="contribution_hide"),
    path(_contribution + "unhide/", views.contribution_unhide, name="contribution_unhide"),
    path(_contribution + "merge/", views.contribution_merge, name="contribution_merge"),
    path("<uuid:process_id>/themes/new/", views.theme_create, name="theme_create"),
    path(_theme, views.theme_detail, name="theme_detail"),
    path(_theme + "edit/", views.theme_edit, name="theme_edit"),
    path(_theme + "delete/", views.theme_delete, name="theme_delete"),
    path(_theme + "outcomes/", views.outcome_link, name="outcome_link"),
    path(_theme + "outcomes/<uuid:link_id>/remove/", views.outcome_unlink, name="outcome_unlink"),
    path("<uuid:process_id>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("<uuid:process_id>/outcomes/announce/", views.outcomes_announce, name="outcomes_announce"),
]

# Each round kind's facilitator pages (e.g. items and method of a prioritise round), per round.
for _kind in round_kinds().values():
    if _kind.admin_urls():
        urlpatterns.append(path(_round, include(_kind.admin_urls())))
