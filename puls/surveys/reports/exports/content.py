"""What an export contains, read through the report selectors with the requester's `Access`.

The PDF and the XLSX are two layouts of this one content, and the content is nothing but selector
results: no figure is computed here, so both show what the pages show and hide what they hide.
Large parts are read lazily — one scale page at a time, comment texts streamed — so an export of a
large organisation never holds every row at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.utils import timezone

from puls.core.models import User
from puls.organisations.models import Organisation, Role, Unit
from puls.organisations.scoping import Access
from puls.surveys.models import Survey, SurveyReport
from puls.surveys.reports import selectors
from puls.surveys.reports.presentation import HIDDEN_TEXT
from puls.surveys.reports.selectors import CommentList, Drivers, Heatmap, Overview, ScaleColumn, ScalePage

# What every output path writes instead of a hidden figure (SUPPRESSION.md rule 6): no number at all,
# the text the report pages show. Only for results suppression hid: a shown result without a number
# (an item without a score) reads `presentation.NO_FIGURE`, as on the pages.
HIDDEN = HIDDEN_TEXT

ProgressCallback = Callable[[int], None]


# A free-text question and whether the unit's pooled list is shown (its `comments` stay empty:
# the texts are streamed through `ExportContent.comment_texts`).
CommentQuestion = CommentList


@dataclass
class ExportContent:
    access: Access
    report: SurveyReport
    unit: Unit
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def survey(self) -> Survey:
        return self.report.survey

    @property
    def organisation(self) -> Organisation:
        return self.report.survey.organisation

    @property
    def is_organisation(self) -> bool:
        """True for the export of the whole organisation (its top unit)."""
        return self.unit.parent_id is None

    @cached_property
    def overview(self) -> Overview:
        return selectors.report_overview(access=self.access, report=self.report, unit=self.unit)

    @cached_property
    def heatmap(self) -> Heatmap:
        return selectors.report_heatmap(access=self.access, report=self.report, unit=self.unit)

    @cached_property
    def drivers(self) -> Drivers:
        return selectors.report_drivers(access=self.access, report=self.report, unit=self.unit)

    @cached_property
    def scales(self) -> list[ScaleColumn]:
        return selectors.report_scales(report=self.report)

    def scale_page(self, scale: ScaleColumn) -> ScalePage:
        return selectors.report_scale(
            access=self.access, report=self.report, unit=self.unit, scale_id=scale.id
        )

    def scale_pages(self) -> Iterator[ScalePage]:
        """One scale page at a time, in questionnaire order."""
        for scale in self.scales:
            yield self.scale_page(scale)

    @cached_property
    def comment_questions(self) -> list[CommentQuestion]:
        return selectors.report_comment_questions(access=self.access, report=self.report, unit=self.unit)

    def comment_texts(self, question: CommentQuestion) -> Iterator[str]:
        """The unit's pooled comments to one question, streamed (nothing when the list is hidden)."""
        if not question.shown:
            return iter(())
        return selectors.report_comment_texts(
            access=self.access, report=self.report, unit=self.unit, item_id=question.item.pk
        )


def content_build(*, access: Access, report: SurveyReport, unit: Unit) -> ExportContent:
    """The export content of `unit` (404 when the viewer may not see it in this report)."""
    checked = selectors.report_unit_get(access=access, report=report, unit_id=unit.pk)
    return ExportContent(access=access, report=report, unit=checked)


def organisation_access(organisation: Organisation) -> Access:
    """The organisation as HR sees it, for tools that build an export outside any request (the
    report benchmark). Never use it for a user's request: those carry the requester's Access."""
    return Access(user=User(), organisation=organisation, person=None, roles={Role.ORG_ADMIN: []})


DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def export_file_name(*, report: SurveyReport, unit: Unit, extension: str) -> str:
    """A plain file name from the survey title and the unit: ASCII letters, digits and dashes."""
    from django.utils.text import slugify

    title = slugify(report.survey.ballot.title.translate(DANISH_LETTERS)) or "survey"
    unit_part = slugify(unit.name.translate(DANISH_LETTERS)) or slugify(unit.code) or "unit"
    return f"{title}-{unit_part}.{extension}"
