"""Worker jobs get a lease (owner until lease_until, renewed while running) and an attempt count."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wargame", "0006_streams"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="job",
            name="attempts",
            field=models.IntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["status", "lease_until"], name="job_lease"),
        ),
    ]
