"""The **assessment** round kind: participants rate how strong today's culture is on each of the
round's items (from an earlier prioritise round, the process's themes or a list) and may write what
works well today (a strength) and what gets in the way (a weakness) (DESIGN §5).

Submission data (built from the draft by `submission`):
    {"assessments": {"<item id hex>": {"score": 1–5 | None, "strength": "...", "weakness": "..."}}}
"score" is present only when the participant chose a point of the scale or "Don't know" (None).
Scores are `Assessment` rows; the texts are `Contribution` rows with `item` set and category
"strength" or "weakness", so facilitators moderate and theme them like ideas and participants trace
them with their receipt code. Neither holds a person, an invitation, a token, a date or a time.

Results read only shuffled rows. An item's figures are shown when at least k of its ballots gave a
score; the texts follow the round's free-text threshold (`selectors.round_results`).
"""

import math
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, Prefetch
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puls.core.cpr import looks_like_cpr
from puls.participation.models import Assessment, Contribution, RoundItem
from puls.participation.round_kinds.base import AnonymityNeeds, ExportSheet

if TYPE_CHECKING:
    from puls.invitations.models import BallotCell
    from puls.participation.models import Receipt, Round

ASSESSMENT_KIND = "assessment"
SCORES = (1, 2, 3, 4, 5)
TEXT_MAX_LENGTH = 2000
STRENGTH, WEAKNESS = "strength", "weakness"
TEXT_FIELDS = (STRENGTH, WEAKNESS)
# How a strength or weakness is named where it is listed without its form (review and receipt pages,
# moderation list, export).
TEXT_LABELS = {STRENGTH: gettext_lazy("Strength"), WEAKNESS: gettext_lazy("Weakness")}
DEFAULT_SCALE_LABELS = (
    gettext_lazy("Very weak"),
    gettext_lazy("Weak"),
    gettext_lazy("Neither"),
    gettext_lazy("Strong"),
    gettext_lazy("Very strong"),
)
# Fill and text colour of each point of the scale in the profile chart: ColorBrewer PuOr, colour-blind
# safe, weak (orange) to strong (purple), the survey reports' palette; the numbers are always printed.
SCALE_COLOURS = (
    ("#b35806", "#ffffff"),
    ("#fdb863", "#000000"),
    ("#f7f7f7", "#000000"),
    ("#b2abd2", "#000000"),
    ("#542788", "#ffffff"),
)
CHART_WIDTH = 1000  # SVG user units; the chart scales to the page
CHART_ROW = 64
CHART_LEGEND = 44  # the legend's height above the rows
CHART_LABEL_MIN_PERCENT = 6  # a segment narrower than this carries no printed share


def scale_labels(round_: "Round") -> list[str]:
    """The five labels of the scale, weakest first: the round's own when it sets five, else the
    defaults in the reader's language."""
    labels = (round_.settings or {}).get("scale_labels")
    if (
        isinstance(labels, list)
        and len(labels) == len(SCORES)
        and all(str(label).strip() for label in labels)
    ):
        return [str(label).strip() for label in labels]
    return [str(label) for label in DEFAULT_SCALE_LABELS]


def round_items(round_: "Round") -> list[RoundItem]:
    return list(RoundItem.objects.filter(round=round_).order_by("order", "title"))


def score_percent(score: int) -> int:
    """A score on the 0–100 scale of the reports: 1 → 0, 2 → 25 … 5 → 100."""
    return (score - 1) * 25


def rounded(value: float) -> int:
    """Half away from zero, as the survey reports round (62.5 → 63)."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def draft_assessments(draft: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assessments = draft.get("assessments")
    if not isinstance(assessments, dict):
        return {}
    return {str(key): dict(entry) for key, entry in assessments.items() if isinstance(entry, dict)}


def entry_text(entry: dict[str, Any], name: str) -> str:
    value = entry.get(name)
    return value.strip() if isinstance(value, str) else ""


def entry_answered(entry: dict[str, Any]) -> bool:
    return "score" in entry or any(entry_text(entry, name) for name in TEXT_FIELDS)


def entry_errors(entry: dict[str, Any]) -> dict[str, list[str]]:
    """Why one item's answer cannot be stored, by field ("score", "strength", "weakness")."""
    errors: dict[str, list[str]] = {}
    score = entry.get("score")
    if "score" in entry and score is not None and (isinstance(score, bool) or score not in SCORES):
        errors["score"] = [_("Choose a point of the scale or “Don't know”.")]
    for name in TEXT_FIELDS:
        value = entry.get(name, "")
        if not isinstance(value, str):
            errors[name] = [_("Your input could not be read.")]
        elif len(value.strip()) > TEXT_MAX_LENGTH:
            errors[name] = [
                _("Please shorten your text to at most %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}
            ]
    return errors


# Results --------------------------------------------------------------------------------------------


@dataclass
class Segment:
    """One point of the scale in an item's stacked bar (SVG user units as text: never localised)."""

    label: str
    count: int
    percent: int
    x: str
    width: str
    text_x: str
    fill: str
    text_fill: str
    labelled: bool


@dataclass
class ItemResult:
    item: RoundItem
    number: int
    shown: bool  # at least k scores: the figures may be shown
    scores: int = 0
    dont_know: int = 0
    counts: list[int] = field(default_factory=list)
    percents: list[int] = field(default_factory=list)
    mean: int | None = None  # 0–100, rounded
    low: int | None = None  # the 95 % interval, rounded; None with fewer than two scores
    high: int | None = None
    segments: list[Segment] = field(default_factory=list)
    top: int = 0  # the row's y in the profile chart
    strengths: list[Contribution] = field(default_factory=list)
    weaknesses: list[Contribution] = field(default_factory=list)


def mean_interval(values: list[int]) -> tuple[float, float | None, float | None]:
    """Mean of 0–100 values and its 95 % interval (Student's t), clipped to 0–100."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None, None
    from scipy import stats  # imported here: slow to import, needed only for results

    sd = math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))
    margin = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean, max(0.0, mean - margin), min(100.0, mean + margin)


def _segments(counts: list[int], labels: list[str]) -> list[Segment]:
    total = sum(counts)
    segments = []
    left = 0.0
    for count, label, (fill, text_fill) in zip(counts, labels, SCALE_COLOURS, strict=True):
        share = 100.0 * count / total if total else 0.0
        width = CHART_WIDTH * share / 100
        segments.append(
            Segment(
                label=label,
                count=count,
                percent=rounded(share),
                x=f"{left:.1f}",
                width=f"{width:.1f}",
                text_x=f"{left + width / 2:.1f}",
                fill=fill,
                text_fill=text_fill,
                labelled=share >= CHART_LABEL_MIN_PERCENT,
            )
        )
        left += width
    return segments


def item_results(round_: "Round") -> list[ItemResult]:
    """Each item of the round with its published scores and its published, unmerged strengths and
    weaknesses (hidden ones included, to be shown as hidden)."""
    k = round_.ballot.k or 1
    labels = scale_labels(round_)
    texts = Contribution.objects.listed().filter(round=round_).order_by("text")
    items = (
        RoundItem.objects.filter(round=round_)
        .order_by("order", "title")
        .prefetch_related(Prefetch("contributions", queryset=texts, to_attr="published_texts"))
    )
    counted = (
        Assessment.objects.filter(round=round_, shuffled=True)
        .values_list("item_id", "score")
        .annotate(count=Count("id"))
    )
    by_item: dict[uuid.UUID, dict[int | None, int]] = {}
    for item_id, score, count in counted:
        by_item.setdefault(item_id, {})[score] = count
    results = []
    for number, item in enumerate(items, start=1):
        tally = by_item.get(item.pk, {})
        counts = [tally.get(score, 0) for score in SCORES]
        scores = sum(counts)
        published: list[Contribution] = item.published_texts  # type: ignore[attr-defined]
        result = ItemResult(
            item=item,
            number=number,
            shown=scores >= k,
            top=CHART_LEGEND + (number - 1) * CHART_ROW,
            strengths=[c for c in published if c.category == STRENGTH],
            weaknesses=[c for c in published if c.category == WEAKNESS],
        )
        if result.shown:
            values = [
                score_percent(score)
                for score, count in zip(SCORES, counts, strict=True)
                for _ in range(count)
            ]
            mean, low, high = mean_interval(values)
            result.scores = scores
            result.dont_know = tally.get(None, 0)
            result.counts = counts
            result.segments = _segments(counts, labels)
            result.percents = [segment.percent for segment in result.segments]
            result.mean = rounded(mean)
            result.low = None if low is None else rounded(low)
            result.high = None if high is None else rounded(high)
        results.append(result)
    return results


def text_label(category: str) -> str:
    """A text's kind in the reader's language; a category no longer known is "Other", never the code."""
    label = TEXT_LABELS.get(category)
    return str(label) if label is not None else _("Other")


def hidden_or_text(contribution: Contribution) -> str:
    if contribution.hidden:
        return f"{_('Hidden by moderator:')} {contribution.hidden_reason}"
    return contribution.text


class AssessmentKind:
    name = ASSESSMENT_KIND
    label = gettext_lazy("Assessment")
    anonymity = AnonymityNeeds(free_text=True, votes=True)
    start_view = "dialogue_answer:assessment"
    setup_view: str | None = "participation:round_items"
    results_template = "participation/results_assessment.html"
    review_template = "participation/review_assessment.html"
    more_by_receipt = False

    def answer_urls(self) -> list[URLPattern]:
        from puls.participation import views_assessment

        return [path("assessment/", views_assessment.assessment, name="assessment")]

    def admin_urls(self) -> list[URLPattern]:
        return []

    def settings_defaults(self) -> dict[str, Any]:
        # No labels stored: the default labels are shown in each reader's language.
        return {"scale_labels": []}

    def setup_form(self, round_: "Round", data: Any = None) -> Any:
        return None

    def launch_errors(self, round_: "Round") -> list[str]:
        if not RoundItem.objects.filter(round=round_).exists():
            return [_("Add the items participants assess before launching the round.")]
        return []

    def submission(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        return {"assessments": draft_assessments(draft)}

    def review_context(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        answers = draft_assessments(draft)
        labels = scale_labels(round_)
        assessed = []
        items = round_items(round_)
        for number, item in enumerate(items, start=1):
            entry = answers.get(item.pk.hex)
            if entry is None or not entry_answered(entry):
                continue
            score = entry.get("score")
            texts = [
                {
                    "label": TEXT_LABELS[name],
                    "text": entry_text(entry, name),
                    "cpr_warning": looks_like_cpr(entry_text(entry, name)),
                }
                for name in TEXT_FIELDS
                if entry_text(entry, name)
            ]
            assessed.append(
                {
                    "item": item,
                    "number": number,
                    "scored": "score" in entry,
                    "score": score if score in SCORES else None,
                    "score_label": labels[score - 1] if score in SCORES else "",
                    "texts": texts,
                }
            )
        return {"assessed": assessed, "skipped": len(items) - len(assessed)}

    def validate(self, round_: "Round", data: dict[str, Any]) -> dict[str, list[str]]:
        answers = data.get("assessments")
        if not isinstance(answers, dict):
            return {"assessments": [_("Your input could not be read.")]}
        items = {item.pk.hex: item for item in round_items(round_)}
        errors: dict[str, list[str]] = {}
        answered = 0
        for key, entry in answers.items():
            item = items.get(key)
            if item is None or not isinstance(entry, dict):
                errors["assessments"] = [
                    _(
                        "Some of your answers are about items that are not part of this round. "
                        "Check your answers."
                    )
                ]
                continue
            for name, messages in entry_errors(entry).items():
                errors[f"{key}-{name}"] = [f"{item.title}: {message}" for message in messages]
            answered += entry_answered(entry)
        if not errors and not answered:
            errors["assessments"] = [
                _("Answer at least one item: a score, “Don't know”, a strength or a weakness.")
            ]
        return errors

    def write(
        self, round_: "Round", cell: "BallotCell", receipt: "Receipt", data: dict[str, Any], *, shuffled: bool
    ) -> list[Contribution]:
        assessments: list[Assessment] = []
        contributions: list[Contribution] = []
        for key, entry in data["assessments"].items():
            item_id = uuid.UUID(key)
            if "score" in entry:
                assessments.append(
                    Assessment(
                        round=round_,
                        receipt=receipt,
                        item_id=item_id,
                        cell=cell,
                        score=entry["score"],
                        shuffled=shuffled,
                    )
                )
            contributions += [
                Contribution(
                    round=round_,
                    cell=cell,
                    receipt=receipt,
                    item_id=item_id,
                    category=name,
                    text=entry_text(entry, name),
                    shuffled=shuffled,
                )
                for name in TEXT_FIELDS
                if entry_text(entry, name)
            ]
        Assessment.objects.bulk_create(assessments)
        Contribution.objects.bulk_create(contributions)
        return contributions

    def answer_models(self) -> list[type[models.Model]]:
        return [Contribution, Assessment]

    def unshuffled(self, round_: "Round") -> "list[models.QuerySet[Any]]":
        return [
            Contribution.objects.filter(round=round_, shuffled=False),
            Assessment.objects.filter(round=round_, shuffled=False),
        ]

    def results_context(self, round_: "Round") -> dict[str, Any]:
        items = item_results(round_)
        labels = scale_labels(round_)
        return {
            "items": items,
            "scale": [
                {"label": label, "fill": fill, "score": score, "x": index * CHART_WIDTH // len(SCORES)}
                for index, (score, label, (fill, _text)) in enumerate(
                    zip(SCORES, labels, SCALE_COLOURS, strict=True)
                )
            ],
            "k": round_.ballot.k,
            "chart_id": f"assessment-profile-{round_.pk.hex}",
            "chart_height": CHART_LEGEND + max(1, len(items)) * CHART_ROW,
        }

    def export_sheets(self, round_: "Round") -> list[ExportSheet]:
        items = item_results(round_)
        labels = scale_labels(round_)
        hidden = _("Too few scores to show")
        profile = []
        for result in items:
            if result.shown:
                figures: list[Any] = [result.scores, result.mean, result.low, result.high]
                figures += [
                    value for pair in zip(result.counts, result.percents, strict=True) for value in pair
                ]
                figures.append(result.dont_know)
            else:
                figures = [hidden]
            profile.append([result.number, result.item.title, *figures])
        header = [
            _("No."),
            _("Item"),
            _("Scores"),
            _("Mean (0–100)"),
            _("95 % interval, low"),
            _("95 % interval, high"),
        ]
        for label in labels:
            header += [label, f"{label} (%)"]
        header.append(_("Don't know"))
        texts = [
            [
                result.number,
                result.item.title,
                text_label(contribution.category),
                hidden_or_text(contribution),
            ]
            for result in items
            for contribution in [*result.strengths, *result.weaknesses]
        ]
        return [
            ExportSheet(title=_("Profile"), header=header, rows=profile),
            ExportSheet(
                title=_("Strengths and weaknesses"),
                header=[_("No."), _("Item"), _("Kind"), _("Text")],
                rows=texts,
            ),
        ]

    def category_label(self, category: str) -> str:
        return text_label(category)
