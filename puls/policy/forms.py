"""Forms of the policy pages."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.policy.models import (
    ADOPTED_STATUSES,
    LOCAL_KINDS,
    STATUS_TRANSITIONS,
    NodeKind,
    NodeStatus,
    PolicyNode,
    ReportRound,
    WalkStop,
)
from puls.policy.services.tree import NodeContent

TEXTAREA_ROWS = 5


class NodeForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the value, policy, focus area or initiative says. A blank line starts a new paragraph."
        ),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        help_text=_("Why it matters, and what shaped it."),
    )
    responsible = forms.CharField(
        label=_("Responsible body"),
        max_length=200,
        required=False,
        help_text=_("For example “Hoved-MED” or “the leader and the local MED committee”."),
    )

    def __init__(self, *args: Any, node: PolicyNode | None = None, **kwargs: Any) -> None:
        if node is not None:
            kwargs.setdefault("initial", node.content())
        super().__init__(*args, **kwargs)

    def content(self) -> NodeContent:
        data = self.cleaned_data
        return NodeContent(
            title=data["title"].strip(),
            text=data["text"].strip(),
            rationale=data["rationale"].strip(),
            responsible=data["responsible"].strip(),
        )


class CentralNodeCreateForm(NodeForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=NodeKind.choices)
    field_order = ("kind", "title", "text", "rationale", "responsible")

    def __init__(self, *args: Any, parent: PolicyNode | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent is None:
            choices = [(NodeKind.VALUE, NodeKind.VALUE.label), (NodeKind.POLICY, NodeKind.POLICY.label)]
        elif parent.kind == NodeKind.POLICY:
            choices = [
                (NodeKind.FOCUS_AREA, NodeKind.FOCUS_AREA.label),
                (NodeKind.INITIATIVE, NodeKind.INITIATIVE.label),
            ]
        else:
            choices = [(NodeKind.INITIATIVE, NodeKind.INITIATIVE.label)]
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = choices
        if len(choices) == 1:
            kind_field.initial = choices[0][0]


class LocalNodeCreateForm(NodeForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(kind, kind.label) for kind in LOCAL_KINDS])
    field_order = ("kind", "title", "text", "rationale", "responsible")

    def __init__(self, *args: Any, parent: PolicyNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        if parent.kind != NodeKind.POLICY:
            kind_field.choices = [(NodeKind.INITIATIVE, NodeKind.INITIATIVE.label)]
            kind_field.initial = NodeKind.INITIATIVE


class StatusForm(AccessibleForm):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect(attrs={"class": "form-radio"}))
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only for an adoption: the date of the meeting."),
    )
    note = forms.CharField(
        label=_("Note for the version"),
        max_length=300,
        required=False,
        help_text=_("For example “Adopted by Hoved-MED, item 4”."),
    )
    include_below = forms.BooleanField(
        label=_("Also move the nodes below it that can take the same step"), required=False
    )

    def __init__(self, *args: Any, node: PolicyNode, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"adopted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        status_field = cast(forms.ChoiceField, self.fields["status"])
        status_field.choices = [
            (status, NodeStatus(status).label) for status in STATUS_TRANSITIONS.get(node.status, ())
        ]

    def clean_adopted_on(self) -> date | None:
        day: date | None = self.cleaned_data.get("adopted_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The date of an adoption cannot lie in the future."))
        return day

    @property
    def is_adoption(self) -> bool:
        return self.cleaned_data.get("status") in ADOPTED_STATUSES


class CitationForm(AccessibleForm):
    address = forms.CharField(
        label=_("Address or id of the source"),
        max_length=1000,
        help_text=_(
            "Paste the address of the page of a dialogue theme, an outcome or a survey result in Puls."
        ),
    )
    reason = forms.CharField(
        label=_("How it shaped this text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublicationForm(AccessibleForm):
    title = forms.CharField(
        label=_("Title of the handbook"),
        max_length=200,
        required=False,
        help_text=_(
            "For example “Our staff policy”. Leave empty for “Staff policy” and the organisation's name."
        ),
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        help_text=_("Shown above the tree on the published page and in the handbook."),
    )
    is_public = forms.BooleanField(
        label=_("Publish the adopted tree on a public page"),
        required=False,
        help_text=_("Anyone with the address can read it, without logging in. Drafts are never shown."),
    )


# --- Local interpretation and Værdivejen -----------------------------------------------------------


class LocalReadingForm(AccessibleForm):
    text = forms.CharField(
        label=_("What the value means with us"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "In your own words, concrete for your workplace. It must not contradict the central text."
        ),
    )


class WalkForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(
        label=_("Date of the workshop"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    participants = forms.CharField(
        label=_("Who takes part"),
        max_length=200,
        required=False,
        help_text=_("For example “the whole staff group, 14 people”. Do not list names."),
    )
    values = forms.ModelMultipleChoiceField(
        label=_("Values to walk"),
        queryset=PolicyNode.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        help_text=_("Four stops for each value. One or two values make a good workshop."),
    )

    def __init__(self, *args: Any, values: list[PolicyNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values_field = cast(forms.ModelMultipleChoiceField, self.fields["values"])
        values_field.queryset = PolicyNode.objects.filter(pk__in=[value.pk for value in values]).order_by(
            "position", "created_at"
        )


class WalkAnswerForm(AccessibleForm):
    text = forms.CharField(
        label=_("A point from the team"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-input puls-walk-input"}),
    )


# --- Report-back -----------------------------------------------------------------------------------


def default_tools() -> list[str]:
    return [
        "Værdivejen",
        str(_("Everyday stories about the values")),
        str(_("A value consultant")),
        str(_("A board game about the values")),
        str(_("The values in development talks (MUS)")),
        str(_("A staff meeting on the values")),
    ]


class RoundForm(AccessibleForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Status on our work with the values 2027”."),
    )
    year = forms.IntegerField(label=_("Year reported on"), min_value=2000, max_value=2100)
    due_on = forms.DateField(
        label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    intro = forms.CharField(
        label=_("Message to the leaders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
    )
    tools = forms.CharField(
        label=_("Tools to choose from"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("One tool on each line. The leaders tick the ones they used."),
    )
    goal_units = forms.IntegerField(
        label=_("Goal: units that used a tool"),
        min_value=1,
        required=False,
        help_text=_("For example 30: at least 30 workplaces used one of the tools this year."),
    )

    def __init__(self, *args: Any, round: ReportRound | None = None, **kwargs: Any) -> None:
        if round is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": round.title,
                    "year": round.year,
                    "due_on": round.due_on,
                    "intro": round.intro,
                    "tools": "\n".join(round.tools),
                    "goal_units": round.goal_units,
                },
            )
        else:
            today = timezone.localdate()
            kwargs.setdefault("initial", {"year": today.year, "tools": "\n".join(default_tools())})
        super().__init__(*args, **kwargs)

    def clean_tools(self) -> list[str]:
        tools: list[str] = []
        for line in self.cleaned_data["tools"].splitlines():
            name = line.strip()[:100]
            if name and name not in tools:
                tools.append(name)
        if not tools:
            raise forms.ValidationError(_("Name at least one tool."))
        return tools


class AnswerForm(AccessibleForm):
    what_done = forms.CharField(
        label=_("What did you do with the values this year?"), widget=forms.Textarea(attrs={"rows": 6})
    )
    tools = forms.MultipleChoiceField(
        label=_("Which tools did you use?"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
    )
    effect = forms.CharField(
        label=_("What effect did it have?"),
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        help_text=_("What changed in your daily work, and how you noticed it."),
    )
    next_steps = forms.CharField(
        label=_("What will you do next?"), widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS})
    )

    def __init__(self, *args: Any, tools: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tools_field = cast(forms.MultipleChoiceField, self.fields["tools"])
        tools_field.choices = [(tool, tool) for tool in tools]


WALK_STOPS = list(WalkStop)
