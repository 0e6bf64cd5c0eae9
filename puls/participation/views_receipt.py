"""The public receipt page "Hvor blev mit input af?" (DESIGN §4.9).

It takes the receipt code by POST only (never in a URL), is throttled against guessing, and is
tied to no login or session: it reads neither and writes neither, and logs nothing. For a code it
shows each contribution, the theme(s) it was grouped under and each theme's outcomes with the
facilitator's reasons. Sent with Cache-Control: no-store.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.throttle import throttle_exceeded, throttle_failure
from puls.participation import selectors
from puls.participation.forms import ReceiptCodeForm
from puls.participation.services import receipt_for_code
from puls.participation.throttle import receipt_throttle, throttled_response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "participation/receipt.html", {"form": ReceiptCodeForm()})
    checks = receipt_throttle(request)
    if throttle_exceeded(checks):
        return throttled_response(request)
    form = ReceiptCodeForm(request.POST)
    found = receipt_for_code(form.cleaned_data["code"]) if form.is_valid() else None
    if found is None:
        throttle_failure(checks)
        if form.is_valid():
            form.reject()
        return render(request, "participation/receipt.html", {"form": form})
    view = selectors.receipt_view(receipt=found)
    # A fresh, empty form: the code is not echoed back into the page.
    return render(request, "participation/receipt.html", {"form": ReceiptCodeForm(), "view": view})
