"""The shared part of background exports (puls/core/exports.py): the progress of a PDF moves page by
page while WeasyPrint lays it out, counting only the pages of the thread that builds it."""

import threading

import weasyprint

from puls.core.exports import weasyprint_page_progress

PAGES = 12
HTML = "".join(f'<p style="break-after: page">Page {number}</p>' for number in range(PAGES))


def test_layout_progress_moves_with_each_page_and_stays_below_the_end():
    heard: list[int] = []
    with weasyprint_page_progress(heard.append, start=20, end=80):
        document = weasyprint.HTML(string=HTML).render()
    assert len(document.pages) == PAGES
    assert len(heard) == PAGES
    assert heard == sorted(heard)
    assert 20 < heard[0] < heard[-1] < 80
    # Outside the block nothing is heard any more.
    weasyprint.HTML(string=HTML).render()
    assert len(heard) == PAGES


def test_pages_laid_out_by_another_thread_are_not_counted():
    heard: list[int] = []
    with weasyprint_page_progress(heard.append, start=0, end=100):
        other = threading.Thread(target=lambda: weasyprint.HTML(string=HTML).render())
        other.start()
        other.join(timeout=60)
    assert heard == []
