"""The **ideas** round kind: free-text contributions with optional categories, and supports of
other participants' visible ideas (DESIGN §5).

Submission data (built by the participant views from the draft):
    {"ideas": [{"text": "...", "category": "..."}], "supports": ["<contribution id hex>", ...]}
Supports may only name contributions of the same round that are published (shuffled), not hidden
and not merged; each at most once.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, Q
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puls.core.cpr import looks_like_cpr
from puls.participation.models import Contribution, Support
from puls.participation.round_kinds.base import AnonymityNeeds, ExportSheet

if TYPE_CHECKING:
    from puls.invitations.models import BallotCell
    from puls.participation.models import Receipt, Round

IDEAS_KIND = "ideas"
IDEA_MAX_LENGTH = 2000
MAX_IDEAS = 20
MAX_SUPPORTS = 200
CATEGORY_MAX_LENGTH = 100


def round_categories(round_: "Round") -> list[str]:
    categories = (round_.settings or {}).get("categories") or []
    return [str(category) for category in categories if str(category).strip()]


def supports_allowed(round_: "Round") -> bool:
    return bool((round_.settings or {}).get("supports", True))


def idea_errors(round_: "Round", text: Any, category: Any) -> list[str]:
    """Why one idea cannot be stored (empty when it can)."""
    if not isinstance(text, str) or not text.strip():
        return [_("Write your idea.")]
    if len(text) > IDEA_MAX_LENGTH:
        return [_("Please shorten your idea to at most %(limit)d characters.") % {"limit": IDEA_MAX_LENGTH}]
    if category not in ("", None) and category not in round_categories(round_):
        return [_("Choose one of the categories.")]
    return []


def draft_ideas(draft: dict[str, Any]) -> list[dict[str, str]]:
    ideas = draft.get("ideas")
    return [idea for idea in ideas if isinstance(idea, dict)] if isinstance(ideas, list) else []


def draft_supports(draft: dict[str, Any]) -> list[str]:
    supports = draft.get("supports")
    return [str(key) for key in supports] if isinstance(supports, list) else []


def supportable(round_: "Round") -> list[Contribution]:
    """Others' ideas a participant may support: published, not hidden, not merged."""
    if not supports_allowed(round_):
        return []
    return list(Contribution.objects.supportable().filter(round=round_).order_by("category", "text"))


def _hex(value: Any) -> str | None:
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return None


class IdeasKind:
    name = IDEAS_KIND
    label = gettext_lazy("Ideas")
    anonymity = AnonymityNeeds(free_text=True)
    start_view = "dialogue_answer:ideas"
    setup_view: str | None = None
    results_template = "participation/results_ideas.html"
    review_template = "participation/review_ideas.html"
    more_by_receipt = True

    def answer_urls(self) -> list[URLPattern]:
        from puls.participation import views_ideas

        return [path("ideas/", views_ideas.ideas, name="ideas")]

    def admin_urls(self) -> list[URLPattern]:
        return []

    def settings_defaults(self) -> dict[str, Any]:
        return {"categories": [], "supports": True}

    def setup_form(self, round_: "Round", data: Any = None) -> Any:
        return None

    def launch_errors(self, round_: "Round") -> list[str]:
        return []

    def submission(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        return {"ideas": draft_ideas(draft), "supports": draft_supports(draft)}

    def review_context(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        supported = set(draft_supports(draft))
        return {
            "my_ideas": [
                {"cpr_warning": looks_like_cpr(idea.get("text", "")), **idea} for idea in draft_ideas(draft)
            ],
            "supported": [c for c in supportable(round_) if c.pk.hex in supported],
        }

    def validate(self, round_: "Round", data: dict[str, Any]) -> dict[str, list[str]]:
        ideas = data.get("ideas", [])
        supports = data.get("supports", [])
        if not isinstance(ideas, list) or not isinstance(supports, list):
            return {"ideas": [_("Your input could not be read.")]}
        errors: dict[str, list[str]] = {}
        if len(ideas) > MAX_IDEAS:
            errors["ideas"] = [_("You can send at most %(limit)d ideas at a time.") % {"limit": MAX_IDEAS}]
        for index, idea in enumerate(ideas):
            if not isinstance(idea, dict):
                errors[f"idea-{index}"] = [_("Your input could not be read.")]
                continue
            problems = idea_errors(round_, idea.get("text"), idea.get("category", ""))
            if problems:
                errors[f"idea-{index}"] = problems
        if supports:
            keys = [_hex(value) for value in supports]
            if not supports_allowed(round_) or None in keys or len(set(keys)) != len(keys):
                errors["supports"] = [_("Your supports could not be read.")]
            elif len(keys) > MAX_SUPPORTS:
                errors["supports"] = [_("Too many supports.")]
            else:
                found = Contribution.objects.supportable().filter(round=round_, pk__in=keys).count()
                if found != len(keys):
                    errors["supports"] = [
                        _("Some of the ideas you supported are no longer shown. Check your supports.")
                    ]
        if not ideas and not supports and not errors:
            errors["ideas"] = [_("Write at least one idea or support one of the others' ideas.")]
        return errors

    def write(
        self, round_: "Round", cell: "BallotCell", receipt: "Receipt", data: dict[str, Any], *, shuffled: bool
    ) -> list[Contribution]:
        contributions = [
            Contribution(
                round=round_,
                cell=cell,
                receipt=receipt,
                text=idea["text"].strip(),
                category=idea.get("category") or "",
                shuffled=shuffled,
            )
            for idea in data.get("ideas", [])
        ]
        Contribution.objects.bulk_create(contributions)
        Support.objects.bulk_create(
            [
                Support(round=round_, contribution_id=uuid.UUID(str(key)), cell=cell, shuffled=shuffled)
                for key in data.get("supports", [])
            ]
        )
        return contributions

    def answer_models(self) -> list[type[models.Model]]:
        return [Contribution, Support]

    def unshuffled(self, round_: "Round") -> "list[models.QuerySet[Any]]":
        return [
            Contribution.objects.filter(round=round_, shuffled=False),
            Support.objects.filter(round=round_, shuffled=False),
        ]

    def results_context(self, round_: "Round") -> dict[str, Any]:
        contributions = list(
            Contribution.objects.listed()
            .filter(round=round_)
            .annotate(support_count=Count("supports", filter=Q(supports__shuffled=True), distinct=True))
            .prefetch_related("themes")
            .order_by("-support_count", "category", "text")
        )
        return {"contributions": contributions, "categories": round_categories(round_)}

    def export_sheets(self, round_: "Round") -> list[ExportSheet]:
        context = self.results_context(round_)
        rows = [
            [
                f"{_('Hidden by moderator:')} {c.hidden_reason}" if c.hidden else c.text,
                c.category,
                c.support_count,
                ", ".join(theme.title for theme in c.themes.all()),
            ]
            for c in context["contributions"]
        ]
        return [
            ExportSheet(
                title=_("Ideas"), header=[_("Idea"), _("Category"), _("Supports"), _("Themes")], rows=rows
            )
        ]

    def category_label(self, category: str) -> str:
        # The facilitator's own words, chosen by the participant as they are.
        return category
