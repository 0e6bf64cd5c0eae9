from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "puls.policy"
    label = "policy"
    default_auto_field = "django.db.models.BigAutoField"
