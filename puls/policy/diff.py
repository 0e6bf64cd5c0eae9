"""A readable word-level diff of two texts as accessible HTML.

Removed words are wrapped in <del>, added words in <ins>; because screen readers announce neither
element by default, each change also carries visually hidden text saying where it starts and ends.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Words and the whitespace between them are separate tokens, so a diff keeps line breaks intact.
_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _marked(tag: str, words: list[str]) -> str:
    text = "".join(words)
    if not text:
        return ""
    start = _("removed text:") if tag == "del" else _("added text:")
    end = _("end of removed text") if tag == "del" else _("end of added text")
    return str(
        format_html(
            '<{tag} class="puls-diff-{tag}"><span class="sr-only">[{start}] </span>{text}'
            '<span class="sr-only"> [{end}]</span></{tag}>',
            tag=tag,
            start=start,
            text=text,
            end=end,
        )
    )


def diff_html(old: str, new: str) -> SafeString:
    """The new text with the words removed from the old one and the words added to it marked."""
    before, after = _tokens(old), _tokens(new)
    opcodes = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    parts: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        parts.append(_marked("del", removed))
        parts.append(_marked("ins", added))
        removed.clear()
        added.clear()

    for index, (operation, a1, a2, b1, b2) in enumerate(opcodes):
        if operation == "equal":
            same = before[a1:a2]
            between_changes = (removed or added) and index + 1 < len(opcodes)
            if between_changes and "".join(same).isspace():
                # A lone space between two changes: keep the change in one piece, easier to read.
                removed.extend(same)
                added.extend(same)
                continue
            flush()
            parts.append(escape("".join(same)))
            continue
        removed.extend(before[a1:a2])
        added.extend(after[b1:b2])
    flush()
    # Every piece was escaped above (escape, format_html).
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    changed: bool
    html: SafeString


def content_diff(old: dict[str, str], new: dict[str, str], labels: dict[str, str]) -> list[FieldDiff]:
    """One FieldDiff per field in `labels` (in that order)."""
    return [
        FieldDiff(
            name=name,
            label=label,
            changed=(old.get(name) or "") != (new.get(name) or ""),
            html=diff_html(old.get(name) or "", new.get(name) or ""),
        )
        for name, label in labels.items()
    ]
