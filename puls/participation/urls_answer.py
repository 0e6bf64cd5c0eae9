"""The participant's pages, mounted at /b/<ballot id>/dialogue/ so the ballot cookie (path /b/<id>/)
is sent. The shared pages are listed here; each round kind adds its own (`RoundKind.answer_urls`)."""

from django.urls import URLPattern, path

from puls.participation import views_answer
from puls.participation.round_kinds import round_kinds

app_name = "dialogue_answer"

urlpatterns: list[URLPattern] = [
    path("", views_answer.answer_start, name="start"),
    path("review/", views_answer.review, name="review"),
    path("more/", views_answer.more, name="more"),
]
for _kind in round_kinds().values():
    urlpatterns += _kind.answer_urls()
