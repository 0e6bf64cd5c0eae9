"""The readable diff between two versions of a text."""

import re

from django.utils import translation

from puls.policy.diff import diff_html


def plain(html: str) -> str:
    """The diff as a sighted reader sees it: [-removed-] and {+added+}, without the hidden labels."""
    html = re.sub(r'<span class="sr-only">[^<]*</span>', "", html)
    html = re.sub(r'<del class="puls-diff-del">(.*?)</del>', r"[-\1-]", html)
    return re.sub(r'<ins class="puls-diff-ins">(.*?)</ins>', r"{+\1+}", html)


def test_a_changed_word_is_removed_and_added_in_place():
    with translation.override("en"):
        html = diff_html("Vi viser hinanden tillid.", "Vi viser hinanden stor tillid.")
    assert plain(html) == "Vi viser hinanden {+stor +}tillid."
    assert '<span class="sr-only">[added text:] </span>' in html
    assert '<span class="sr-only"> [end of added text]</span>' in html


def test_a_rewritten_sentence_reads_as_one_removal_and_one_addition():
    html = diff_html("Teksten om trivsel.", "Trivsel er et fælles ansvar.")
    assert plain(html) == "[-Teksten om trivsel.-]{+Trivsel er et fælles ansvar.+}"


def test_text_is_escaped_inside_and_outside_changes():
    html = diff_html("<b>gammel</b> tekst", "<script>ny</script> tekst")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;ny&lt;/script&gt;" in html


def test_unchanged_text_has_no_marks():
    assert (
        diff_html("Samme tekst.\n\nTo afsnit.", "Samme tekst.\n\nTo afsnit.") == "Samme tekst.\n\nTo afsnit."
    )
