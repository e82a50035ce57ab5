"""A finer statistic of the assignments per unit, for PostgreSQL's planner.

With the default statistics target PostgreSQL estimates every unit at the average
(5,000 assignments per unit at a million suggestions); a unit with 500 then got a hash
join over every suggestion in handling, and its task list was twice as slow as at 10,000
suggestions. A target of 1,000 keeps each unit's own count (a few hundred units).
"""

from django.db import migrations


def raise_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE suggestions_assignment ALTER COLUMN unit_id SET STATISTICS 1000"
        )


def reset_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE suggestions_assignment ALTER COLUMN unit_id SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0009_ledger_indexes")]

    operations = [migrations.RunPython(raise_target, reset_target)]
