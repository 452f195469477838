"""What a benchmark reads about server processes and databases: RSS, CPU seconds, stored bytes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd on (the name may hold spaces)


def process_tree(pid: int) -> list[int]:
    """`pid` and every live descendant (a server's adjudication pool, its fork server)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                children.setdefault(int(_stat_fields(int(entry.name))[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes together, in MB (10^6 bytes). Pages shared between
    them (a fork server and the workers it forked) count once per process."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_BYTES
    return total / 1e6


def pss_mb(pids: list[int]) -> float:
    """Proportional set size of these processes together, in MB: resident memory with each
    shared page divided among the processes sharing it, so the sum is what they hold in all."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
    return total / 1e6


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of `pid`, its live descendants, and its reaped children."""
    total = 0.0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = _stat_fields(member)
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            if member == pid:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
            total += ticks / _TICKS_PER_S
    return total


@dataclass
class RssSampler:
    """Samples the memory of some process trees every `every_s` until stopped; keeps the peaks
    of the RSS sum (shared pages counted in each process) and of the PSS sum (counted once)."""

    roots: list[int]
    every_s: float = 0.3
    peak_mb: float = 0.0
    last_mb: float = 0.0
    peak_pss_mb: float = 0.0
    last_pss_mb: float = 0.0
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    def sample(self) -> float:
        pids = [p for root in self.roots for p in process_tree(root)]
        self.last_mb, self.last_pss_mb = rss_mb(pids), pss_mb(pids)
        self.peak_mb = max(self.peak_mb, self.last_mb)
        self.peak_pss_mb = max(self.peak_pss_mb, self.last_pss_mb)
        return self.last_mb

    async def _run(self) -> None:
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(self.every_s)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


STORED_TABLES = {
    "events": "wargame_eventrecord",
    "snapshots": "wargame_snapshotrecord",
    "blobs": "wargame_blob",
    "streams": "wargame_streamentry",
}
"""The tables that grow with play, by what they hold."""


def _sqlite_path(database_url: str) -> str:
    return "/" + urlsplit(database_url).path.lstrip("/")


def stored_bytes(database_url: str) -> dict[str, int]:
    """Bytes the database uses in all (`total`: tables, indexes, free pages left out) and per
    table of STORED_TABLES (with their indexes and, on PostgreSQL, TOAST)."""
    if database_url.startswith("sqlite"):
        return _sqlite_bytes(_sqlite_path(database_url))
    return _postgres_bytes(database_url)


def _sqlite_bytes(path: str) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
        pages = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        indexes: dict[str, list[str]] = {}
        for name, table in conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"):
            indexes.setdefault(table, []).append(name)
    out = {"total": int(sum(pages.values()))}
    for label, table in STORED_TABLES.items():
        out[label] = int(pages.get(table, 0) + sum(pages.get(i, 0) for i in indexes.get(table, [])))
    return out


def _postgres_bytes(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        total = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'"
        ).fetchone()
        out = {"total": int(total[0]) if total else 0}
        for label, table in STORED_TABLES.items():
            row = conn.execute("SELECT pg_total_relation_size(%s::regclass)", (table,)).fetchone()
            out[label] = int(row[0]) if row else 0
    return out


def log_text_bytes(database_url: str, exercise_id: str, after_seq: int) -> tuple[int, int]:
    """(bytes of the canonical event text after `after_seq`, the last seq) of one exercise."""
    query = (
        "SELECT coalesce(sum(length(e.data)), 0), coalesce(max(e.seq), 0) FROM wargame_eventrecord e "
        "WHERE e.exercise_id = {p} AND e.seq > {p}"
    )
    if database_url.startswith("sqlite"):
        path = _sqlite_path(database_url)
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
            row = conn.execute(query.format(p="?"), (exercise_id, after_seq)).fetchone()
    else:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            row = conn.execute(query.format(p="%s"), (exercise_id, after_seq)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])
