from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0002_station_related_name"),
        ("stations", "0002_stations_in_full"),
    ]

    operations = [
        migrations.RemoveField(model_name="deputy", name="station"),
    ]
