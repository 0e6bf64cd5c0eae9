"""Login, logout, password reset and activation: Django's views with our forms and templates."""

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from puls.core.auth_forms import (
    AccessiblePasswordResetForm,
    AccessibleSetPasswordForm,
    EmailAuthenticationForm,
)
from puls.organisations.scoping import user_organisations

# Several backends are configured (axes first), so logins after a password change name the one to use.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "sent", whether or not the address belongs to a login."""

    form_class = AccessiblePasswordResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_email_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("core:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        # Links in e-mails come from SITE_URL, never from the request's Host header.
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class _ChoosePasswordView(auth_views.PasswordResetConfirmView):
    form_class = AccessibleSetPasswordForm

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # A closed login's old links stop working too.
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Someone who proved they own the mailbox may log in again at once, even after a lockout.
        axes_reset(username=self.user.get_username())
        return response


class PasswordResetConfirmView(_ChoosePasswordView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class ActivateView(_ChoosePasswordView):
    """The page an activation e-mail links to: choose a password, then straight to work."""

    template_name = "registration/activate.html"
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND

    def get_success_url(self) -> str:
        organisations = user_organisations(self.user)
        if len(organisations) == 1 and not self.user.is_platform_admin:
            return reverse("organisations:dashboard", kwargs={"org_slug": organisations[0].slug})
        return resolve_url(settings.LOGIN_REDIRECT_URL)
