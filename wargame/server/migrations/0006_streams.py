"""Per-seat stream index (StreamEntry), filled for exercises recorded before it from their logs."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Number every existing exercise's events in each stream, as the service now does on append."""
    from wargame.domain.streams import event_positions, stream_viewers
    from wargame.server.store import to_envelope

    Exercise = apps.get_model("wargame", "Exercise")
    EventRecord = apps.get_model("wargame", "EventRecord")
    StreamEntry = apps.get_model("wargame", "StreamEntry")
    for exercise in Exercise.objects.all():
        heads: dict[str, int] = {}
        viewers: list[str] = []
        rows = []
        for record in EventRecord.objects.filter(exercise_id=exercise.id).order_by("seq").iterator():
            event = to_envelope(record, keep_text=False)
            if event.body.type == "exercise_created":
                viewers = stream_viewers(event.body.scenario.played_nations())
            heads, moved = event_positions(heads, viewers, event.body.type, event.audience)
            rows.extend(
                StreamEntry(exercise_id=exercise.id, viewer=v, pos=p, seq=event.seq) for v, p in moved.items()
            )
            if len(rows) >= 2000:
                StreamEntry.objects.bulk_create(rows)
                rows = []
        StreamEntry.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("wargame", "0005_merge_0004_seats_0004_storage")]

    operations = [
        migrations.CreateModel(
            name="StreamEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("viewer", models.CharField(max_length=32)),
                ("pos", models.IntegerField()),
                ("seq", models.IntegerField()),
                (
                    "exercise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="streams",
                        to="wargame.exercise",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("exercise", "viewer", "pos"), name="one_event_per_stream_pos"
                    )
                ],
                "indexes": [models.Index(fields=["exercise", "viewer", "seq"], name="stream_by_seq")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
