"""The public receipt page, outside any organisation's URL space: the code decides the process."""

from django.urls import path

from puls.participation import views_receipt

app_name = "dialogue_receipt"

urlpatterns = [path("", views_receipt.receipt, name="receipt")]
