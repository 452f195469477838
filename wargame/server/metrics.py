"""Prometheus metrics of a server process, served at `/metrics`.

Counted here: connected seats and open sockets by role, socket closes by code, the worker job
queue and the delivery lag (an event's commit to its send). Commands, adjudication time and
appended events are counted where they run (services/telemetry.py), so a `wargame worker`
exposes its own on WARGAME_METRICS_PORT. daphne is one process: every series of a server
process is in its own `/metrics`; Prometheus scrapes each process (docs/operations.md).
"""

from __future__ import annotations

import logging
from collections import Counter as Tally
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from wargame.server import lifecycle
from wargame.server.reads import run_read

logger = logging.getLogger(__name__)

ROLES = ("player", "white_cell", "facilitator", "observer")
METRICS_PATH = "/metrics"

DELIVERY_LAG = Histogram(
    "wargame_delivery_lag_seconds",
    "From an event's commit (its sealing time) to its send to this process's live sockets.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SOCKET_CLOSES = Counter(
    "wargame_socket_closes_total",
    "Websockets of this process that closed, by close code (1000 normal, 4401 revoked, 4503 drain...).",
    ["code"],
)
JOB_QUEUE = Gauge(
    "wargame_job_queue_depth",
    "Worker jobs by state: queued and due, queued for later (scheduled injects), running.",
    ["state"],
)
JOB_STATES = ("due", "scheduled", "running")


class SeatsCollector(Collector):
    """Connected seats (distinct seats with an open socket here) and open sockets, by role."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        sockets = [s for s in list(lifecycle.open_sockets) if not s.closed]
        seats = GaugeMetricFamily(
            "wargame_connected_seats",
            "Seats with an open websocket in this process, by role.",
            labels=["role"],
        )
        opened = GaugeMetricFamily(
            "wargame_open_sockets", "Open websockets of this process, by seat role.", labels=["role"]
        )
        by_role = Tally(s.role for s in sockets)
        distinct = Tally(role for role, _ in {(s.role, s.seat_id) for s in sockets})
        for role in sorted(set(ROLES) | set(by_role)):
            seats.add_metric([role], distinct.get(role, 0))
            opened.add_metric([role], by_role.get(role, 0))
        draining = GaugeMetricFamily(
            "wargame_draining", "1 while this process drains its sockets on shutdown."
        )
        draining.add_metric([], 1.0 if lifecycle.draining() else 0.0)
        yield seats
        yield opened
        yield draining


REGISTRY.register(SeatsCollector())


def job_queue_depth() -> dict[str, int]:
    """Counts of the worker job table (a database read)."""
    from wargame.server.models import Job

    now = timezone.now()
    queued = Job.objects.filter(status="queued")
    due = queued.filter(run_after__lte=now).count()
    later = queued.filter(run_after__gt=now).count()
    running = Job.objects.filter(status="running").count()
    return {"due": due, "scheduled": later, "running": running}


async def metrics(request: HttpRequest) -> HttpResponse:
    """`GET /metrics` (served by health.ProbeMiddleware): the Prometheus text format. The job
    queue is read from the database at each scrape (off the commands' thread); when it cannot
    be, its series are left out."""
    try:
        depth = await run_read(job_queue_depth)
    except Exception as exc:
        logger.warning("metrics: cannot read the job queue: %s", exc)
        JOB_QUEUE.clear()
    else:
        for state in JOB_STATES:
            JOB_QUEUE.labels(state).set(depth[state])
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
