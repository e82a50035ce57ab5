# The single station of a deputy gives way to the stations' many-to-many list of their
# deputies (stations 0002); its reverse name steps aside first so that both exist while
# the data is copied.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0001_initial"),
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deputy",
            name="station",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="stations.liaisonstation",
                verbose_name="liaison station",
            ),
        ),
    ]
