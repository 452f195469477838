from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wargame", "0002_jobs")]

    operations = [
        migrations.CreateModel(
            name="Blob",
            fields=[
                ("digest", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("size", models.IntegerField()),
                ("data", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
