"""Logins for people: the one-time activation link HR sends so a person can choose a password."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.models import Organisation, Person
from puls.organisations.services import user_for_person


class PersonHasNoEmail(ValueError):
    """The person has neither an e-mail address nor a login, so no link can be sent."""


def activation_link(user: User) -> str:
    """An absolute, one-time link to the "choose your password" page.

    It stops working once the password is set (the token covers the password hash) or after
    PASSWORD_RESET_TIMEOUT.
    """
    path = reverse(
        "core:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def activation_email_send(*, user: User, organisation: Organisation) -> None:
    context = {
        "user": user,
        "organisation": organisation,
        "activation_url": activation_link(user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24)),
    }
    subject = render_to_string("registration/activation_email_subject.txt", context)
    body = render_to_string("registration/activation_email.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def person_activation_send(*, actor: User | None, person: Person) -> User:
    """Give the person a login if they have none, and e-mail them an activation link.

    If the e-mail cannot be sent the exception propagates and nothing is saved or audited.
    """
    if not person.user_id and not person.email:
        raise PersonHasNoEmail(person.pk)
    user = user_for_person(person=person)
    audit_record(
        actor=actor,
        action="person.activation_sent",
        organisation=person.organisation,
        target=person,
    )
    activation_email_send(user=user, organisation=person.organisation)
    return user
