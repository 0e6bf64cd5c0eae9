from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.organisations.imports.parsing import ImportFileError, file_type_of, inspect_import_file
from puls.organisations.models import ImportJob


class ImportUploadForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("What does the file contain?"),
        choices=[("", _("Choose…")), *ImportJob.Kind.choices],
        help_text=_("Import the units first: people are placed in units by unit code."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file (semicolon or comma separated, as Excel saves it) or an Excel workbook (.xlsx), "
            "at most %(size)s. The first row holds the column names."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}
        self.file_type = ""
        self.row_count = 0

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        kind = cleaned.get("kind")
        if upload is None:
            return cleaned
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                _("The file is %(size)s; the largest file you can import is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES),
                },
            )
            return cleaned
        try:
            self.file_type = file_type_of(upload.name or "")
            if kind:
                self.row_count = inspect_import_file(upload, file_type=self.file_type, kind=kind)
        except ImportFileError as error:
            for message in error.messages:
                self.add_error("file", str(message))
        finally:
            upload.seek(0)
        return cleaned
