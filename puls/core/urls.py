from django.urls import path

from puls.core import views
from puls.core.auth_urls import urlpatterns as auth_urlpatterns

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
]

urlpatterns += auth_urlpatterns
