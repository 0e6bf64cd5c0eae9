"""URLs of the submit benchmark's server: every real URL, plus the baseline submit (bench only)."""

from django.urls import path

from config.urls import urlpatterns as real_urlpatterns
from puls.bench.baseline import baseline_submit

urlpatterns = [
    path("bench/baseline/<uuid:ballot_id>/submit/", baseline_submit, name="bench_baseline_submit"),
    *real_urlpatterns,
]
