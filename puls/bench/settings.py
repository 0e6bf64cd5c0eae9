"""Settings of the submit benchmark's server (`python -m puls.bench submit`): the real settings with
the bench URLs (the real ones plus a baseline view). Only for PULS_BENCH=1; never used in production."""

import os
import warnings

from django.core.exceptions import ImproperlyConfigured

from config.settings import *  # noqa: F403
from config.settings import STORAGES

if os.environ.get("PULS_BENCH") != "1":
    raise ImproperlyConfigured("puls.bench.settings is for the benchmark server only (set PULS_BENCH=1).")

ROOT_URLCONF = "puls.bench.urls"
# The bench server runs with DEBUG off but without collected static files (and says nothing about it).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
