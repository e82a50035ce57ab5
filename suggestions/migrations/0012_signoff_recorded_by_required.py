"""Fill ``SignOff.recorded_by`` (and the deputy and date) for the sign-offs made before
0011, make it required, and put the append-only triggers back on the tables 0011 changed
and on its new append-only tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate

from . import _signoff_triggers


def backfill_signoffs(apps, schema_editor):
    """Two statements, whatever the number of sign-offs: all were made online."""
    SignOff = apps.get_model("suggestions", "SignOff")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    # TruncDate takes the date in the current time zone, as timezone.localdate() does.
    SignOff.objects.update(recorded_by=models.F("signer"), signed_on=TruncDate("signed_at"))
    lead_deputy = Suggestion.objects.filter(pk=models.OuterRef("suggestion_id")).values(
        "lead_deputy_id"
    )[:1]
    SignOff.objects.filter(level="deputy").update(deputy_id=models.Subquery(lead_deputy))
    if schema_editor.connection.vendor == "postgresql":
        # Fire the foreign keys' deferred checks now: no ALTER TABLE with events pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0011_paper_signoffs_revisit_decisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(backfill_signoffs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="signoff",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.RunPython(_signoff_triggers.create, _signoff_triggers.drop),
    ]
