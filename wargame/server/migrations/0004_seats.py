import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wargame", "0003_blobs")]

    operations = [
        migrations.AddField(
            model_name="seat",
            name="member",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="eventrecord",
            name="member",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.CreateModel(
            name="SocketLease",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("server", models.CharField(max_length=100)),
                ("renewed_at", models.DateTimeField()),
                (
                    "seat",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="leases",
                        to="wargame.seat",
                    ),
                ),
            ],
            options={"indexes": [models.Index(fields=["seat", "renewed_at"], name="lease_by_seat")]},
        ),
    ]
