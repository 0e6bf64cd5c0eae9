"""The participant's pages, mounted at /b/<ballot id>/dialogue/ so the ballot cookie (path /b/<id>/)
is sent. Each round kind adds its pages here."""

from django.urls import path

from puls.participation import views_answer

app_name = "dialogue_answer"

urlpatterns = [
    path("", views_answer.answer_start, name="start"),
    path("review/", views_answer.review, name="review"),
    path("more/", views_answer.more, name="more"),
    # ideas
    path("ideas/", views_answer.ideas, name="ideas"),
]
