"""The facilitator's page of a round's items (and, for kinds that have them, its method settings),
before launch: /o/<org>/dialogue/<process>/rounds/<round>/items/. Shared by the kinds whose
`setup_view` is "participation:round_items" (prioritise, assessment); a 404 for other kinds.

Every change is a POST with an `action` and goes through `round_items.py` (draft rounds only,
audited); a launched round's items are shown read-only."""

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from puls.core.models import User
from puls.invitations.models import Ballot
from puls.organisations.scoping import org_view
from puls.participation import round_items as items_service
from puls.participation import selectors
from puls.participation.forms_round_items import ItemsFromListForm, ItemsFromRoundForm, ItemsFromThemesForm
from puls.participation.models import Round
from puls.participation.round_kinds import round_kind_get
from puls.participation.services import ParticipationError

SETUP_VIEW = "participation:round_items"
_MOVES = {"up": -1, "down": 1}


def _back(request: HttpRequest, round_: Round, anchor: str = "") -> HttpResponse:
    response = redirect(
        SETUP_VIEW,
        org_slug=request.organisation.slug,  # type: ignore[attr-defined]
        process_id=round_.process_id,
        round_id=round_.pk,
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@org_view(require=selectors.facilitates_any)
def round_items(request: HttpRequest, process_id: str, round_id: str) -> HttpResponse:
    process = selectors.process_get(access=request.access, process_id=process_id)  # type: ignore[attr-defined]
    round_ = selectors.round_get(process=process, round_id=round_id)
    kind = round_kind_get(round_.kind)
    if kind.setup_view != SETUP_VIEW:
        raise Http404
    actor = cast(User, request.user)
    is_draft = round_.ballot.status == Ballot.Status.DRAFT
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    forms: dict[str, Any] = {
        "themes": ItemsFromThemesForm(
            data if action == "themes" else None, themes=items_service.theme_choices(round_=round_)
        ),
        "round": ItemsFromRoundForm(
            data if action == "round" else None, rounds=items_service.source_rounds(round_=round_)
        ),
        "list": ItemsFromListForm(data if action == "list" else None),
        "settings": kind.setup_form(round_, data if action == "settings" else None),
    }
    if request.method == "POST":
        if not is_draft:
            messages.error(request, _("The round has been launched, so its items can no longer change."))
            return _back(request, round_)
        verb, _sep, key = action.partition("-")
        try:
            if action in forms and forms[action] is not None and forms[action].is_valid():
                return _apply(request, actor, round_, action, forms[action])
            if verb in _MOVES and key:
                items_service.item_move(actor=actor, round_=round_, item_id=key, offset=_MOVES[verb])
                return _back(request, round_, "items")
            if verb == "remove" and key:
                items_service.item_remove(actor=actor, round_=round_, item_id=key)
                messages.success(request, _("The item was removed."))
                return _back(request, round_, "items")
        except ParticipationError as error:
            if action in forms and forms[action] is not None:
                forms[action].add_error(None, str(error))
            else:
                messages.error(request, str(error))
                return _back(request, round_, "items")
    return render(
        request,
        "participation/round_items.html",
        {
            "process": process,
            "round": round_,
            "ballot": round_.ballot,
            "kind": kind,
            "is_draft": is_draft,
            "items": items_service.item_list(round_=round_),
            "max_items": items_service.MAX_ITEMS,
            "forms": forms,
            "launch_errors": kind.launch_errors(round_) if is_draft else [],
        },
    )


def _apply(request: HttpRequest, actor: User, round_: Round, action: str, form: Any) -> HttpResponse:
    if action == "settings":
        items_service.round_kind_settings_update(actor=actor, round_=round_, values=form.settings())
        messages.success(request, _("The settings were saved."))
        return _back(request, round_)
    if action == "themes":
        added = items_service.items_from_themes(actor=actor, round_=round_, theme_ids=form.theme_ids())
    elif action == "round":
        added = items_service.items_from_round(
            actor=actor, round_=round_, source=form.source_round(), top=form.cleaned_data["top"]
        )
    else:
        added = items_service.items_from_list(actor=actor, round_=round_, text=form.cleaned_data["items"])
    messages.success(
        request,
        ngettext("%(count)d item was added.", "%(count)d items were added.", added) % {"count": added},
    )
    return _back(request, round_, "items")
