"""Events stored as their hashed canonical text; snapshots compressed and checked against the log.

Rows written before keep their `body` (and snapshots their `state`); nothing is rewritten.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wargame", "0003_blobs")]

    operations = [
        migrations.AddField(
            model_name="eventrecord",
            name="data",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="eventrecord",
            name="body",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="snapshotrecord",
            name="data",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="snapshotrecord",
            name="digest",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="snapshotrecord",
            name="head_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="snapshotrecord",
            name="state",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
