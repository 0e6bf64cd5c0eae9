"""The scheduler of periodic work (see puls/core/periodic.py and docs/architecture.md)."""

import logging
import math
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from puls.core.periodic import periodic_jobs, periodic_jobs_enqueue_due

logger = logging.getLogger("puls.scheduler")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _positive_seconds(value: str) -> float:
    seconds = float(value)
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError("The interval must be more than 0 seconds")
    return seconds


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs that are due, every --interval seconds, for `manage.py db_worker` "
        "to run. Safe to run on several servers at once: each job is enqueued once per interval."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=_positive_seconds, default=60.0, help="Seconds between passes (default: 60)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self._pass()
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            logger.info("Scheduler received %s, stopping", signal.Signals(signum).name)
            stop.set()

        previous_handlers = {signum: signal.signal(signum, request_stop) for signum in STOP_SIGNALS}
        logger.info(
            "Scheduler started: %d periodic jobs, checking every %g s", len(periodic_jobs()), interval
        )
        try:
            while not stop.is_set():
                try:
                    # A long-running process must notice dropped or expired connections itself.
                    close_old_connections()
                    self._pass()
                except Exception:
                    # A database hiccup must not end the scheduler; the next pass tries again.
                    logger.exception("Scheduler pass failed")
                stop.wait(interval)
        finally:
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)
        logger.info("Scheduler stopped")

    def _pass(self) -> list[str]:
        enqueued = periodic_jobs_enqueue_due()
        if enqueued:
            logger.info("Enqueued periodic jobs: %s", ", ".join(enqueued))
        else:
            logger.debug("No periodic jobs due")
        return enqueued
