"""The assessment round's participant page: one fieldset per item with the scale, "Don't know"
and two optional texts (a strength, a weakness). Saving keeps everything as a draft; the generic
review page (views_answer.review) submits it. An invalid post saves nothing and shows the errors at
their fields."""

import uuid
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.cpr import looks_like_cpr
from puls.core.forms import AccessibleForm
from puls.invitations.services import BallotError
from puls.participation.models import RoundItem
from puls.participation.participant import Participant, answer_render, participant_or_response, refused
from puls.participation.round_kinds.assessment import (
    ASSESSMENT_KIND,
    SCORES,
    TEXT_FIELDS,
    TEXT_MAX_LENGTH,
    draft_assessments,
    entry_answered,
    round_items,
    scale_labels,
)

DONT_KNOW = "dont-know"
TOO_LONG = gettext_lazy("Please shorten your text to at most %(limit_value)d characters.")


class ItemAssessmentForm(AccessibleForm):
    """One item's answer; prefixed with the item's id so that all items fit in one form."""

    score = forms.ChoiceField(
        label=gettext_lazy("How is it today?"),
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    strength = forms.CharField(
        label=gettext_lazy("What works well today (strength)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    weakness = forms.CharField(
        label=gettext_lazy("What gets in the way (weakness)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, labels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(score), f"{score} – {label}") for score, label in zip(SCORES, labels, strict=True)]
        self.fields["score"].choices = [*choices, (DONT_KNOW, _("Don't know"))]  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(entry: dict[str, Any]) -> dict[str, str]:
        score = entry.get("score")
        initial = {name: str(entry.get(name) or "") for name in TEXT_FIELDS}
        if "score" in entry:
            initial["score"] = str(score) if score in SCORES else DONT_KNOW
        return initial

    def entry(self) -> dict[str, Any]:
        """The item's draft entry: "score" only when a point or "Don't know" was chosen."""
        data = self.cleaned_data
        entry: dict[str, Any] = {name: data[name].strip() for name in TEXT_FIELDS}
        if data["score"] == DONT_KNOW:
            entry["score"] = None
        elif data["score"]:
            entry["score"] = int(data["score"])
        return entry


def _forms(
    request: HttpRequest, participant: Participant, items: list[RoundItem]
) -> list[ItemAssessmentForm]:
    labels = scale_labels(participant.round)
    saved = draft_assessments(participant.draft)
    data = request.POST if request.method == "POST" else None
    return [
        ItemAssessmentForm(
            data,
            prefix=item.pk.hex,
            labels=labels,
            initial=ItemAssessmentForm.initial_from(saved.get(item.pk.hex, {})),
        )
        for item in items
    ]


def _cpr_warnings(form: ItemAssessmentForm) -> dict[str, bool]:
    """Which texts look like they hold a CPR number (DESIGN §4.5): warned at the field, not refused."""
    form.errors  # noqa: B018 - the field attributes are set when the form is cleaned
    warnings = {}
    for name in TEXT_FIELDS:
        value = form[name].value()
        warnings[name] = looks_like_cpr(value if isinstance(value, str) else "")
        if warnings[name]:
            attrs = form.fields[name].widget.attrs
            attrs["aria-describedby"] = " ".join(
                filter(None, [attrs.get("aria-describedby", ""), f"{form[name].auto_id}-cpr"])
            )
    return warnings


@never_cache
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    participant = participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    round_ = participant.round
    if round_.kind != ASSESSMENT_KIND:
        raise Http404
    items = round_items(round_)
    forms_ = _forms(request, participant, items)
    problem = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if all(form.is_valid() for form in forms_):
            answers = {
                item.pk.hex: form.entry()
                for item, form in zip(items, forms_, strict=True)
                if entry_answered(form.entry())
            }
            if action == "review" and not answers:
                problem = _("Answer at least one item: a score, “Don't know”, a strength or a weakness.")
            else:
                try:
                    participant.draft_update(assessments=answers)
                except BallotError as refusal:
                    return refused(request, participant.ballot, refusal)
                if action == "review":
                    return HttpResponseRedirect(participant.url("review"))
                anchor = action.removeprefix("save-")
                shown = {item.pk.hex for item in items}
                return HttpResponseRedirect(
                    participant.url(ASSESSMENT_KIND) + (f"#item-{anchor}" if anchor in shown else "#items")
                )
    saved = draft_assessments(participant.draft)
    rows = [
        {
            "item": item,
            "number": number,
            "anchor": f"item-{item.pk.hex}",
            "form": form,
            "answered": entry_answered(saved.get(item.pk.hex, {})),
            "cpr": _cpr_warnings(form),
        }
        for number, (item, form) in enumerate(zip(items, forms_, strict=True), start=1)
    ]
    return answer_render(
        request,
        "answer_assessment.html",
        {
            "ballot": participant.ballot,
            "round": round_,
            "process": round_.process,
            "rows": rows,
            "invalid": any(form.errors for form in forms_),
            "problem": problem,
            "answered_count": sum(1 for row in rows if row["answered"]),
            "review_url": participant.url("review"),
        },
    )
