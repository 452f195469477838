"""Database tables: exercises, seats and their open sockets, the append-only event log, snapshots,
command results, jobs and blobs."""

from __future__ import annotations

from django.db import models


class Exercise(models.Model):
    id = models.CharField(primary_key=True, max_length=64)
    title = models.CharField(max_length=200, default="")
    scenario_id = models.CharField(max_length=64, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_seq = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.id} ({self.title})"


class Seat(models.Model):
    """A join link: a role (and nation) in one exercise, held by a named member of that team or
    cell ("" for the unnamed links `exercise create` makes), found by the hash of its token."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(max_length=32)
    nation = models.CharField(max_length=16, null=True, blank=True)
    member = models.CharField(max_length=100, blank=True, default="")
    label = models.CharField(max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        who = f" ({self.member})" if self.member else ""
        return f"seat {self.pk}: {self.label}{who} in {self.exercise_id}"


class SocketLease(models.Model):
    """One open websocket of a seat in some server process, counted against the seat's socket
    cap. Its process renews it while the socket is open; a process that dies leaves leases that
    are no longer renewed, and they stop counting after the presence timeout."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="leases")
    server = models.CharField(max_length=100)
    renewed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seat", "renewed_at"], name="lease_by_seat")]


class EventRecord(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="events")
    seq = models.IntegerField()
    type = models.CharField(max_length=64)
    at = models.DateTimeField()
    scenario_time = models.DateTimeField()
    move = models.IntegerField()
    actor = models.CharField(max_length=64)
    member = models.CharField(max_length=100, blank=True, default="")
    audience = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    data = models.TextField(null=True, blank=True)
    """The envelope's canonical JSON without its hash, exactly as hashed (`eventlog.chain`):
    sha256(data) = hash. The other columns copy it for queries. Null in rows of earlier releases."""
    body = models.JSONField(null=True, blank=True)
    """Rows of earlier releases only: the body as JSON (new rows keep everything in `data`)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "seq"], name="one_event_per_seq")
        ]
        ordering = ["exercise", "seq"]


class SnapshotRecord(models.Model):
    """Derived state at a seq, to load fast; checked against the log and rebuilt if wrong."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="snapshots")
    seq = models.IntegerField()
    data = models.BinaryField(null=True, blank=True)
    """zlib-compressed JSON of the state without scenario and ruleset (`eventlog.snapshots`)."""
    digest = models.CharField(max_length=64, default="", blank=True)
    """SHA-256 of `data`."""
    head_hash = models.CharField(max_length=64, default="", blank=True)
    """Hash of the event at `seq`: the snapshot is ignored unless the log holds it there."""
    state = models.JSONField(null=True, blank=True)
    """Snapshots of earlier releases only: the whole state as JSON."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "seq"], name="one_snapshot_per_seq")
        ]


class CommandRecord(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="commands")
    key = models.CharField(max_length=160)
    seat = models.CharField(max_length=64)
    result = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "key"], name="one_result_per_command")
        ]


class Job(models.Model):
    """A command run by a `wargame worker` (adjudication, scheduled injects), committed once.

    queued -> running (claimed by `owner` until `lease_until`, renewed while it runs; an
    expired lease lets another worker take it over) -> done or failed. The job's `done` commits
    with the command's events and result, only while `owner` still holds it (server/jobs.py).
    """

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="jobs")
    key = models.CharField(max_length=160)
    seat = models.JSONField()
    command = models.JSONField()
    run_after = models.DateTimeField()
    status = models.CharField(max_length=16, default="queued")
    result = models.JSONField(null=True, blank=True)
    owner = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    """While running: the owner holds the job until then (its heartbeat renews it)."""
    attempts = models.IntegerField(default=0)
    """How many times a worker claimed it (more than one: taken over after a lease expired)."""
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "key"], name="one_job_per_key")]
        indexes = [
            models.Index(fields=["status", "run_after"], name="job_queue"),
            models.Index(fields=["status", "lease_until"], name="job_lease"),
        ]


class Blob(models.Model):
    """An immutable, content-addressed byte string that events refer to by its SHA-256 digest
    (a catalog, a move's custody tables): big data stays out of the event bodies."""

    digest = models.CharField(primary_key=True, max_length=64)
    size = models.IntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class StreamEntry(models.Model):
    """The index of a seat's stream (the observer's, each team's): its event at position `pos`
    is the log's event `seq`. Derived from the log (domain/streams.py), written with it."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="streams")
    viewer = models.CharField(max_length=32)
    pos = models.IntegerField()
    seq = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "viewer", "pos"], name="one_event_per_stream_pos")
        ]
        indexes = [models.Index(fields=["exercise", "viewer", "seq"], name="stream_by_seq")]


class OperatorToken(models.Model):
    """An operator's API token for the exercise API (`Authorization: Bearer op_...`), found by
    the hash of its secret. Operators are Django users holding the `operate_exercises`
    permission; they are not seats and sit in no exercise (server/operators.py)."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="operator_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    """The token's first characters, to tell tokens apart in the admin (never enough to use)."""
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("operate_exercises", "Create, list and control exercises through the API")]

    def __str__(self) -> str:
        state = " (revoked)" if self.revoked else ""
        return f"{self.prefix}... of {self.user.username}{state}"
