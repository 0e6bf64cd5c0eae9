"""The items a round prioritises or assesses (RoundItem): facilitator content, shared by the
prioritise and assessment kinds and set on one page (`views_round_items.py`) before launch.

Items come from the process's themes, from an earlier round's items (from an earlier round whose
kind ranks its items — prioritise — its top N by result, once that result may be shown), or from a
typed list, one per line. They can be moved and removed while the round is a draft; launching
freezes them, since answers point at them. Every change is audited (ids and counts, no content of
answers: items are the facilitator's own text).
"""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.models import User
from puls.invitations.models import Ballot
from puls.participation.models import Round, RoundItem, Theme
from puls.participation.round_kinds import round_kind_get
from puls.participation.services import ParticipationError

MAX_ITEMS = 50
TITLE_MAX_LENGTH = 200


# Reads ------------------------------------------------------------------------------------------


def item_list(*, round_: Round) -> list[RoundItem]:
    return list(RoundItem.objects.filter(round=round_).select_related("theme").order_by("order", "title"))


def theme_choices(*, round_: Round) -> list[Theme]:
    """The process's themes not yet among the round's items."""
    used = RoundItem.objects.filter(round=round_, theme__isnull=False).values("theme_id")
    return list(Theme.objects.filter(process_id=round_.process_id).exclude(pk__in=used).order_by("title"))


def source_rounds(*, round_: Round) -> list[Round]:
    """Earlier rounds of the same process that have items to take over."""
    return list(
        Round.objects.filter(process_id=round_.process_id, order__lt=round_.order, items__isnull=False)
        .select_related("ballot")
        .distinct()
        .order_by("order")
    )


def ranks_its_items(round_: Round) -> bool:
    """Whether the round's kind orders its items by a result (prioritise): then its top N can be
    taken over."""
    return callable(getattr(round_kind_get(round_.kind), "top_items", None))


# Writes -----------------------------------------------------------------------------------------


def _locked_round(round_: Round) -> Round:
    """The round, locked for the change; refused once it has been launched."""
    locked = (
        Round.objects.select_for_update().select_related("ballot", "process__organisation").get(pk=round_.pk)
    )
    if locked.ballot.status != Ballot.Status.DRAFT:
        raise ParticipationError(_("The round has been launched, so its items can no longer change."))
    return locked


def _append(round_: Round, new: list[RoundItem]) -> int:
    existing = RoundItem.objects.filter(round=round_).count()
    if existing + len(new) > MAX_ITEMS:
        raise ParticipationError(
            _("A round can have at most %(limit)d items; it has %(count)d.")
            % {"limit": MAX_ITEMS, "count": existing}
        )
    last = RoundItem.objects.filter(round=round_).aggregate(last=Max("order"))["last"]
    start = -1 if last is None else last
    for offset, item in enumerate(new, start=1):
        item.round = round_
        item.order = start + offset
    RoundItem.objects.bulk_create(new)
    return len(new)


def _audit(actor: User, round_: Round, action: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=f"dialogue.round.items.{action}",
        organisation=round_.process.organisation,
        target=round_,
        summary=round_.ballot.title,
        data=data,
    )


@transaction.atomic
def items_from_themes(*, actor: User, round_: Round, theme_ids: list[uuid.UUID]) -> int:
    """One item per chosen theme of the process (title and description copied; the theme kept)."""
    round_ = _locked_round(round_)
    used = set(RoundItem.objects.filter(round=round_).values_list("theme_id", flat=True))
    themes = Theme.objects.filter(process_id=round_.process_id, pk__in=theme_ids).exclude(pk__in=used)
    added = _append(
        round_,
        [
            RoundItem(title=theme.title[:TITLE_MAX_LENGTH], description=theme.description, theme=theme)
            for theme in themes.order_by("title")
        ],
    )
    _audit(actor, round_, "themes", added=added)
    return added


@transaction.atomic
def items_from_round(*, actor: User, round_: Round, source: Round, top: int | None = None) -> int:
    """The items of an earlier round of the same process, in its order; from a round that ranks
    its items, its `top` first by result (only once that result may be shown)."""
    round_ = _locked_round(round_)
    if source.process_id != round_.process_id or source.order >= round_.order:
        raise ParticipationError(_("Choose an earlier round of this process."))
    if top is not None and ranks_its_items(source):
        chosen = round_kind_get(source.kind).top_items(source, top)  # type: ignore[attr-defined]
        if not chosen:
            raise ParticipationError(
                _(
                    "That round's result is not available yet (it is shown when the round has closed "
                    "with enough participants). Take all its items instead."
                )
            )
    else:
        chosen = list(RoundItem.objects.filter(round=source).order_by("order", "title"))
        if top is not None:
            chosen = chosen[:top]
    taken = set(RoundItem.objects.filter(round=round_).values_list("source_item_id", flat=True))
    added = _append(
        round_,
        [
            RoundItem(
                title=item.title, description=item.description, theme_id=item.theme_id, source_item=item
            )
            for item in chosen
            if item.pk not in taken
        ],
    )
    _audit(actor, round_, "round", added=added, source=str(source.pk), top=top)
    return added


def parse_item_lines(text: str) -> list[str]:
    """One item per non-empty line, duplicates (ignoring case) dropped."""
    seen: set[str] = set()
    titles = []
    for line in text.splitlines():
        title = " ".join(line.split())
        if title and title.casefold() not in seen:
            seen.add(title.casefold())
            titles.append(title)
    return titles


@transaction.atomic
def items_from_list(*, actor: User, round_: Round, text: str) -> int:
    """One item per line of the text; titles the round already has are skipped."""
    round_ = _locked_round(round_)
    titles = parse_item_lines(text)
    if any(len(title) > TITLE_MAX_LENGTH for title in titles):
        raise ParticipationError(
            _("An item can have at most %(limit)d characters.") % {"limit": TITLE_MAX_LENGTH}
        )
    present = {
        title.casefold() for title in RoundItem.objects.filter(round=round_).values_list("title", flat=True)
    }
    added = _append(round_, [RoundItem(title=title) for title in titles if title.casefold() not in present])
    _audit(actor, round_, "list", added=added)
    return added


def _item(round_: Round, item_id: Any) -> RoundItem:
    try:
        key = uuid.UUID(str(item_id))
    except ValueError:
        raise ParticipationError(_("The item was not found.")) from None
    item = RoundItem.objects.filter(round=round_, pk=key).first()
    if item is None:
        raise ParticipationError(_("The item was not found."))
    return item


@transaction.atomic
def item_move(*, actor: User, round_: Round, item_id: Any, offset: int) -> None:
    """Move an item one place up (offset -1) or down (+1)."""
    round_ = _locked_round(round_)
    item = _item(round_, item_id)
    items = list(RoundItem.objects.filter(round=round_).order_by("order", "title"))
    position = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = position + offset
    if 0 <= target < len(items):
        items[position], items[target] = items[target], items[position]
    for order, other in enumerate(items):
        other.order = order
    RoundItem.objects.bulk_update(items, ["order"])
    _audit(actor, round_, "move", item=str(item.pk), offset=offset)


@transaction.atomic
def item_remove(*, actor: User, round_: Round, item_id: Any) -> None:
    round_ = _locked_round(round_)
    item = _item(round_, item_id)
    _audit(actor, round_, "remove", item=str(item.pk), title=item.title)
    item.delete()


@transaction.atomic
def round_kind_settings_update(*, actor: User, round_: Round, values: dict[str, Any]) -> Round:
    """Change kind-specific settings (e.g. the prioritise method) while the round is a draft."""
    round_ = _locked_round(round_)
    round_.settings = {**(round_.settings or {}), **values}
    round_.save(update_fields=["settings"])
    _audit(actor, round_, "settings", **values)
    return round_
