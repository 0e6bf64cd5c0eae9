"""The participant's pages, mounted at /b/<ballot id>/survey/ so the ballot cookie (path /b/<id>/) is sent."""

from django.urls import path

from puls.surveys import views_answer

app_name = "survey_answer"

urlpatterns = [
    path("", views_answer.answer_start, name="start"),
    path("section/<int:number>/", views_answer.answer_section, name="section"),
    path("review/", views_answer.answer_review, name="review"),
    path("saved/", views_answer.answer_saved, name="saved"),
    path("done/", views_answer.answer_done, name="done"),
]
