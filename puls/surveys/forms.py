"""Forms of the HR pages: item bank upload, survey settings, an organisation's or a unit's own items."""

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.invitations.forms import AudienceNeed, BallotAudienceForm, InvitationTextsForm, unit_label
from puls.organisations import selectors as organisation_selectors
from puls.organisations.models import Unit
from puls.organisations.scoping import Access
from puls.surveys import itembank, selectors
from puls.surveys.models import Item, Questionnaire, Section, Survey
from puls.surveys.services import LOCAL_ITEMS_PER_UNIT, NewItem, SurveySettings

ITEM_BANK_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ITEM_BANK_FILE_TYPES = (".json", ".xlsx")
DEFAULT_OPEN_DAYS = 21
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
ATTRIBUTE_CHOICES = [
    ("job_group", _("Job group")),
    ("age_band", _("Age band")),
    ("seniority_band", _("Seniority band")),
]
AUDIENCE_EVERYONE, AUDIENCE_UNITS, AUDIENCE_JOB_GROUPS = "everyone", "units", "job_groups"
LIKERT_SCALE_CHOICES = [
    ("extent", _("To a very large extent … To a very small extent")),
    ("frequency", _("Always … Never")),
]


class ItemBankUploadForm(AccessibleForm):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ITEM_BANK_FILE_TYPES)}),
    )
    name = forms.CharField(
        label=_("Name of the bank"),
        max_length=200,
        required=False,
        help_text=_("For example “COPSOQ III, licensed 2025”. Leave empty to use the name in the file."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A JSON file or an Excel workbook (.xlsx) in the format described on this page, at most %(size)s."
        ) % {"size": filesizeformat(ITEM_BANK_MAX_UPLOAD_BYTES)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ITEM_BANK_FILE_TYPES:
            raise forms.ValidationError(_("Upload a .json or .xlsx file."))
        if upload.size > ITEM_BANK_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest item bank you can upload is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(ITEM_BANK_MAX_UPLOAD_BYTES)}
            )
        head = upload.read(4)
        upload.seek(0)
        is_zip = head.startswith(b"PK\x03\x04")
        if Path(upload.name).suffix.lower() == ".xlsx" and not is_zip:
            raise forms.ValidationError(_("The file is not an Excel workbook (.xlsx)."))
        if Path(upload.name).suffix.lower() == ".json" and (is_zip or b"\x00" in head):
            raise forms.ValidationError(_("The file is not a JSON text file."))
        return upload


def _local_default_opening() -> tuple[datetime, datetime]:
    tomorrow = timezone.localdate() + timedelta(days=1)
    opens = timezone.make_aware(datetime.combine(tomorrow, time(8, 0)))
    return opens, opens + timedelta(days=DEFAULT_OPEN_DAYS)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_INPUT_FORMAT)


class SurveyForm(BallotAudienceForm, InvitationTextsForm):
    # The page groups the fields in this order (admin_survey_form.html slices them by position).
    field_order = [
        "title",
        "questionnaire",
        "audience",
        "units",
        "job_groups",
        "opens_at",
        "closes_at",
        "reminder_days",
        "invitation_text",
        "reminder_text",
        "requested_k",
        "requested_free_text_k",
        "attributes",
        "previous_survey",
    ]

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("Shown to participants, e.g. “Trivselsmåling 2026”.")
    )
    questionnaire = forms.ChoiceField(
        label=_("Questionnaire"),
        help_text=_(
            "A template is copied to your organisation, so you can add your own questions to the copy."
        ),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeLocalInput(), input_formats=[DATETIME_INPUT_FORMAT]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_INPUT_FORMAT],
        help_text=_("Three weeks after opening gives most people time to answer."),
    )
    reminder_days = forms.CharField(
        label=_("Reminders (days after opening)"),
        required=False,
        initial="3,7,14",
        help_text=_(
            "Whole days separated by commas, e.g. 3,7,14. Only people who have not answered are reminded."
        ),
    )
    requested_k = forms.IntegerField(
        label=_("Anonymity threshold"),
        required=False,
        min_value=selectors.LOWEST_K,
        max_value=selectors.HIGHEST_K,
    )
    requested_free_text_k = forms.IntegerField(
        label=_("Free-text threshold"),
        required=False,
    )
    attributes = forms.MultipleChoiceField(
        label=_("Background attributes stored with the answers"),
        choices=ATTRIBUTE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        help_text=_(
            "Used to filter results. Groups smaller than the anonymity threshold are merged at launch."
        ),
    )
    previous_survey = forms.ChoiceField(
        label=_("Previous survey (for trends)"),
        required=False,
        help_text=_("Results are compared with this survey."),
    )

    units_help_text = _("Needed when you invite chosen units. Hold Ctrl to choose several.")
    job_groups_help_text = _(
        "Needed when you invite chosen job groups; with chosen units, only these job groups in them."
    )
    audience_needs = {
        AUDIENCE_UNITS: AudienceNeed(("units",), _("Choose at least one unit, or invite everyone.")),
        AUDIENCE_JOB_GROUPS: AudienceNeed(
            ("job_groups",), _("Choose at least one job group, or invite everyone.")
        ),
    }
    invitation_text_help = _(
        "Your own words at the top of the invitation e-mail, for example why this survey matters. "
        "The standard text with the personal link, the code and the anonymity promise follows it."
    )

    def __init__(self, *args: Any, access: Access, survey: Survey | None = None, **kwargs: Any) -> None:
        if survey is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_from_survey(survey)
        elif "initial" not in kwargs:
            opens, closes = _local_default_opening()
            kwargs["initial"] = {"opens_at": opens, "closes_at": closes}
        super().__init__(*args, **kwargs)
        self.access = access
        self.org_k = selectors.organisation_k(access.organisation)
        questionnaires = list(selectors.questionnaire_list(access=access))
        self._questionnaires = {str(q.pk): q for q in questionnaires}
        own = [(str(q.pk), str(q)) for q in questionnaires if q.organisation_id is not None]
        templates = [
            (str(q.pk), _("%(name)s (template)") % {"name": q.name})
            for q in questionnaires
            if q.organisation_id is None
        ]
        cast(forms.ChoiceField, self.fields["questionnaire"]).choices = [
            ("", _("Choose…")),
            *([(_("Your questionnaires"), own)] if own else []),
            (_("Templates"), templates),
        ]
        self._audience_choices(
            choices=[
                (AUDIENCE_EVERYONE, _("Everyone employed in the organisation")),
                (AUDIENCE_UNITS, _("The people in chosen units (each with all units below it)")),
                (AUDIENCE_JOB_GROUPS, _("The people in chosen job groups")),
            ],
            initial=AUDIENCE_EVERYONE,
            units=selectors.unit_choices(access.organisation),
            job_groups=organisation_selectors.job_group_choices(access.organisation),
        )
        self._previous = {
            str(s.pk): s for s in selectors.previous_survey_choices(access=access, exclude=survey)
        }
        cast(forms.ChoiceField, self.fields["previous_survey"]).choices = [
            ("", _("None")),
            *[(pk, str(s)) for pk, s in self._previous.items()],
        ]
        self.org_free_text_k = selectors.organisation_free_text_k(access.organisation)
        self.fields["requested_k"].widget.attrs["min"] = self.org_k
        self.fields["requested_free_text_k"].widget.attrs["min"] = self.org_free_text_k
        self.fields["requested_k"].help_text = _(
            "Results are shown only for groups of at least this many respondents: %(low)d–%(high)d. "
            "Your organisation's threshold is %(k)d; leave empty to use it."
        ) % {"low": self.org_k, "high": selectors.HIGHEST_K, "k": self.org_k}
        self.fields["requested_free_text_k"].help_text = _(
            "Comments are shown only for groups of at least this many respondents: %(k)d or more, and never "
            "below the anonymity threshold. Leave empty to use the lowest allowed."
        ) % {"k": self.org_free_text_k}

    def clean_requested_k(self) -> int | None:
        value = self.cleaned_data.get("requested_k")
        if value is not None and value < self.org_k:
            raise forms.ValidationError(
                _("The threshold cannot be lower than your organisation's threshold, %(k)d.")
                % {"k": self.org_k}
            )
        return value

    def clean_requested_free_text_k(self) -> int | None:
        value = self.cleaned_data.get("requested_free_text_k")
        if value is not None and value < self.org_free_text_k:
            raise forms.ValidationError(
                _("The free-text threshold cannot be lower than %(k)d.") % {"k": self.org_free_text_k}
            )
        return value

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data.get("reminder_days", "")
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= 365:
                raise forms.ValidationError(
                    _("Write whole days from 1 upwards separated by commas, e.g. 3,7,14.")
                )
            days.append(int(part))
        return sorted(set(days))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        k = cleaned.get("requested_k") or self.org_k
        free_text_k = cleaned.get("requested_free_text_k")
        if free_text_k is not None and free_text_k < k:
            self.add_error(
                "requested_free_text_k",
                _("The free-text threshold cannot be lower than the anonymity threshold (%(k)d).") % {"k": k},
            )
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes:
            if closes <= opens:
                self.add_error("closes_at", _("The survey must close after it opens."))
            elif closes <= timezone.now():
                self.add_error("closes_at", _("The closing time has already passed."))
            reminders = cleaned.get("reminder_days") or []
            if reminders and opens + timedelta(days=max(reminders)) >= closes:
                self.add_error("reminder_days", _("Every reminder must be sent before the survey closes."))
        if cleaned.get("questionnaire") and cleaned["questionnaire"] not in self._questionnaires:
            self.add_error("questionnaire", _("Choose one of the questionnaires in the list."))
        return cleaned

    def settings(self) -> SurveySettings:
        data = self.cleaned_data
        audience = data["audience"]
        previous = data.get("previous_survey")
        return SurveySettings(
            title=data["title"],
            questionnaire=self._questionnaires[data["questionnaire"]],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            audience_everyone=audience != AUDIENCE_UNITS,
            audience_units=tuple(self.chosen_units()) if audience == AUDIENCE_UNITS else (),
            audience_job_groups=tuple(data["job_groups"]) if audience != AUDIENCE_EVERYONE else (),
            reminder_days=tuple(data["reminder_days"]),
            requested_k=data.get("requested_k"),
            requested_free_text_k=data.get("requested_free_text_k"),
            attributes=tuple(code for code, _label in ATTRIBUTE_CHOICES if code in data["attributes"]),
            previous_survey=self._previous.get(previous) if previous else None,
            **self.texts(),
        )


def _initial_from_survey(survey: Survey) -> dict[str, Any]:
    ballot = survey.ballot
    units = [str(unit.pk) for unit in survey.audience_units.all()]
    if not survey.audience_everyone:
        audience = AUDIENCE_UNITS
    elif survey.audience_job_groups:
        audience = AUDIENCE_JOB_GROUPS
    else:
        audience = AUDIENCE_EVERYONE
    return {
        "title": ballot.title,
        "questionnaire": str(survey.questionnaire_id),
        "audience": audience,
        "units": units,
        "job_groups": survey.audience_job_groups,
        "opens_at": timezone.localtime(ballot.opens_at),
        "closes_at": timezone.localtime(ballot.closes_at),
        "reminder_days": ",".join(str(day) for day in ballot.reminder_days),
        "requested_k": ballot.requested_k,
        "requested_free_text_k": ballot.requested_free_text_k,
        "attributes": ballot.attributes,
        "previous_survey": str(survey.previous_survey_id) if survey.previous_survey_id else "",
        **InvitationTextsForm.texts_initial(ballot),
    }


class ExtendForm(AccessibleForm):
    closes_at = forms.DateTimeField(
        label=_("New closing time"), widget=DateTimeLocalInput(), input_formats=[DATETIME_INPUT_FORMAT]
    )

    def __init__(self, *args: Any, current_closes_at: datetime, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"closes_at": timezone.localtime(current_closes_at) + timedelta(days=7)})
        super().__init__(*args, **kwargs)
        self.current_closes_at = current_closes_at

    def clean_closes_at(self) -> datetime:
        closes_at: datetime = self.cleaned_data["closes_at"]
        if closes_at <= self.current_closes_at:
            raise forms.ValidationError(_("Choose a time after the current closing time."))
        return closes_at


def _parse_choices(text: str) -> list[dict[str, str]]:
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        danish, _separator, english = line.partition("|")
        options.append({"da": danish.strip(), "en": english.strip()})
    return options


class OwnItemForm(AccessibleForm):
    """An organisation's or a unit's own question."""

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Item.Kind.choices, initial=Item.Kind.LIKERT)
    text_da = forms.CharField(
        label=_("Question in Danish"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question in English"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    likert_scale = forms.ChoiceField(
        label=_("Answer scale (5-point questions)"),
        choices=LIKERT_SCALE_CHOICES,
        initial="extent",
        required=False,
    )
    choices = forms.CharField(
        label=_("Answer options (choice questions)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, Danish first, then | and the English text, e.g. “Ja | Yes”."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        options = _parse_choices(cleaned.get("choices", ""))
        if kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
            if not 2 <= len(options) <= itembank.MAX_CHOICES:
                self.add_error("choices", _("Write 2–20 answer options, one per line."))
            elif any(not option["da"] for option in options):
                self.add_error("choices", _("Every option needs a Danish text before the |."))
        cleaned["options"] = options
        return cleaned

    def new_item(self) -> NewItem:
        data = self.cleaned_data
        kind = data["kind"]
        if kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
            options = tuple(data["options"])
        elif kind == Item.Kind.LIKERT:
            options = tuple(itembank.shipped_option_sets()[data.get("likert_scale") or "extent"])
        else:
            options = ()
        return NewItem(
            kind=kind, text_da=data["text_da"].strip(), text_en=data["text_en"].strip(), options=options
        )


class QuestionnaireItemForm(OwnItemForm):
    section = forms.ChoiceField(label=_("Section"))
    new_section_da = forms.CharField(label=_("New section title in Danish"), max_length=200, required=False)
    new_section_en = forms.CharField(label=_("New section title in English"), max_length=200, required=False)

    field_order = [
        "section",
        "new_section_da",
        "new_section_en",
        "kind",
        "text_da",
        "text_en",
        "likert_scale",
        "choices",
    ]
    NEW_SECTION = "new"

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sections = {str(s.pk): s for s in questionnaire.sections.order_by("order")}
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            *[(pk, str(section)) for pk, section in self._sections.items()],
            (self.NEW_SECTION, _("A new section at the end")),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("section") == self.NEW_SECTION and not cleaned.get("new_section_da", "").strip():
            self.add_error("new_section_da", _("Give the new section a Danish title."))
        return cleaned

    @property
    def chosen_section(self) -> Section | None:
        return self._sections.get(self.cleaned_data["section"])


class LocalItemForm(OwnItemForm):
    unit = forms.ChoiceField(
        label=_("Unit"),
        help_text=_("The question is asked to the people in this unit and the units below it."),
    )
    field_order = ["unit", "kind", "text_da", "text_en", "likert_scale", "choices"]

    def __init__(self, *args: Any, units: list[Unit], counts: dict[Any, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._units = {str(unit.pk): unit for unit in units}
        self._counts = counts
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            (pk, unit_label(unit)) for pk, unit in self._units.items()
        ]

    def clean_unit(self) -> Unit:
        unit = self._units.get(self.cleaned_data["unit"])
        if unit is None:
            raise forms.ValidationError(_("Choose one of the units in the list."))
        if self._counts.get(unit.pk, 0) >= LOCAL_ITEMS_PER_UNIT:
            raise forms.ValidationError(
                _("%(unit)s already has %(limit)d questions of its own in this survey, the most allowed.")
                % {"unit": unit.name, "limit": LOCAL_ITEMS_PER_UNIT}
            )
        return unit
