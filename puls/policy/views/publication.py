"""The published (adopted) tree: inside the organisation, on a public page if HR chooses, and as a
printable PDF handbook."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.organisations.models import Organisation
from puls.organisations.scoping import org_view
from puls.policy.forms import PublicationForm
from puls.policy.pdf import HANDBOOK_CSS, render_pdf
from puls.policy.permissions import can_edit_tree, sees_working_tree
from puls.policy.selectors import tree as selectors
from puls.policy.services import tree as services
from puls.policy.views.common import access_of, actor_of, file_response, organisation_of, slug_of


def _public_url(request: HttpRequest, organisation: Organisation) -> str:
    return request.build_absolute_uri(reverse("policy_public:page", kwargs={"org_slug": organisation.slug}))


@org_view()
def publication(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    organisation = organisation_of(request)
    settings = selectors.publication_get(organisation=organisation)
    context = {
        "tree": selectors.published_tree(organisation=organisation),
        "publication": settings,
        "public_url": _public_url(request, organisation) if settings.is_public else "",
        "can_edit": can_edit_tree(access),
        "sees_working_tree": sees_working_tree(access),
    }
    return render(request, "policy/publication.html", context)


@org_view(require=can_edit_tree)
def publication_settings(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    settings = selectors.publication_get(organisation=organisation)
    form = PublicationForm(
        request.POST if request.method == "POST" else None,
        initial={"title": settings.title, "intro": settings.intro, "is_public": settings.is_public},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.publication_update(
            actor=actor_of(request),
            organisation=organisation,
            title=data["title"].strip(),
            intro=data["intro"].strip(),
            is_public=data["is_public"],
        )
        messages.success(request, _("The publication settings were saved."))
        return redirect("policy:publication", org_slug=slug_of(request))
    return render(
        request,
        "policy/publication_settings.html",
        {"form": form, "public_url": _public_url(request, organisation)},
    )


def handbook_response(organisation: Organisation) -> HttpResponse:
    settings = selectors.publication_get(organisation=organisation)
    context = {
        "organisation": organisation,
        "publication": settings,
        "tree": selectors.published_tree(organisation=organisation),
        "printed_on": timezone.localdate(),
    }
    pdf = render_pdf("policy/handbook_pdf.html", context, stylesheet=HANDBOOK_CSS)
    return file_response(pdf, content_type="application/pdf", filename="handbook.pdf", inline=True)


@org_view()
def handbook_pdf(request: HttpRequest) -> HttpResponse:
    return handbook_response(organisation_of(request))


# --- The public page: no login; only organisations that chose to publish, else 404 ----------------


def public_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = selectors.public_organisation_get(slug=org_slug)
    context = {
        "organisation": organisation,
        "publication": selectors.publication_get(organisation=organisation),
        "tree": selectors.published_tree(organisation=organisation),
        "public": True,
    }
    return render(request, "policy/public.html", context)


def public_handbook(request: HttpRequest, org_slug: str) -> HttpResponse:
    return handbook_response(selectors.public_organisation_get(slug=org_slug))
