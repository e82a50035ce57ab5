"""Merging (并案), key suggestions' inspection visits, and the similar-suggestion finder.

The sign-off's one-per-level constraint becomes one per deputy at the deputy level (every
lead deputy of a merged group signs); the sign-off table's append-only triggers are taken
off around the change (SQLite rebuilds the table) and put back, and the new append-only
tables get theirs. On PostgreSQL the finder's grams get a GIN index, as a ``tsvector``.
"""

import importlib

import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models

import suggestions.models.key
from suggestions.migrations import _signoff_triggers

NEW_APPEND_ONLY = ["suggestions_inspection", "suggestions_inspectionfile"]
_triggers = importlib.import_module("suggestions.migrations.0003_append_only_triggers")


def _new_tables_append_only(apps, schema_editor):
    previous, _triggers.TABLES = _triggers.TABLES, NEW_APPEND_ONLY
    try:
        _triggers.create_triggers(apps, schema_editor)
    finally:
        _triggers.TABLES = previous


GRAMS_INDEX = "similarity_grams_gin"


def _grams_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GRAMS_INDEX} ON suggestions_similarityentry "
            "USING gin (array_to_tsvector(string_to_array(grams, ' ')))"
        )
        # The finder reads which grams are common from the index's statistics: keep the
        # 10,000 most common (ten times the statistics target), not the default 1,000.
        schema_editor.execute(f"ALTER INDEX {GRAMS_INDEX} ALTER COLUMN 1 SET STATISTICS 1000")


def _drop_grams_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GRAMS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0001_initial"),
        ("suggestions", "0012_signoff_recorded_by_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_signoff_triggers.drop, _signoff_triggers.create),
        migrations.CreateModel(
            name="Inspection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("visit", "Inspection visit"),
                            ("meeting", "Supervision meeting"),
                            ("check", "Interim check"),
                        ],
                        default="visit",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("happened_on", models.DateField(verbose_name="date")),
                ("participants", models.TextField(verbose_name="participants")),
                ("findings", models.TextField(verbose_name="findings")),
                ("next_steps", models.TextField(blank=True, verbose_name="agreed next steps")),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded at"
                    ),
                ),
            ],
            options={
                "verbose_name": "inspection visit",
                "verbose_name_plural": "inspection visits",
                "ordering": ["happened_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="InspectionFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        upload_to=suggestions.models.key.inspection_file_path, verbose_name="file"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="file name")),
            ],
            options={
                "verbose_name": "inspection file",
                "verbose_name_plural": "inspection files",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="SimilarityEntry",
            fields=[
                (
                    "suggestion",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="similarity",
                        serialize=False,
                        to="suggestions.suggestion",
                        verbose_name="suggestion",
                    ),
                ),
                ("grams", models.TextField(blank=True, verbose_name="grams")),
                (
                    "raised_before",
                    models.BooleanField(default=False, verbose_name="raised in an earlier year"),
                ),
                (
                    "raised_by_several",
                    models.BooleanField(default=False, verbose_name="raised by several deputies"),
                ),
                (
                    "checked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="marks checked at"),
                ),
            ],
            options={
                "verbose_name": "similarity entry",
                "verbose_name_plural": "similarity entries",
            },
        ),
        migrations.RemoveConstraint(
            model_name="signoff",
            name="signoff_one_per_level_per_round",
        ),
        migrations.AddField(
            model_name="keysuggestion",
            name="designated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="designated by",
            ),
        ),
        migrations.AddField(
            model_name="keysuggestion",
            name="invited_deputies",
            field=models.ManyToManyField(
                blank=True,
                related_name="key_suggestions_followed",
                to="deputies.deputy",
                verbose_name="invited deputies",
            ),
        ),
        migrations.AddField(
            model_name="suggestion",
            name="state_before_merge",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="state before the merge"
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="state",
            field=django_fsm.FSMField(
                choices=[
                    ("proposed", "Proposed"),
                    ("reviewed", "Reviewed"),
                    ("assigned", "Assigned"),
                    ("handled", "Replied"),
                    ("signed", "Signed off"),
                    ("revisited", "Revisited (closed)"),
                    ("not_accepted", "Not accepted"),
                    ("withdrawn", "Withdrawn"),
                    ("merged", "Merged"),
                ],
                default="proposed",
                max_length=20,
                protected=True,
                verbose_name="state",
            ),
        ),
        migrations.AddIndex(
            model_name="keysuggestion",
            index=models.Index(fields=["year", "leader"], name="keysuggestion_year_leader"),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.UniqueConstraint(
                condition=models.Q(("level", "deputy"), _negated=True),
                fields=("suggestion", "round", "level"),
                name="signoff_one_per_level_per_round",
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.UniqueConstraint(
                condition=models.Q(("level", "deputy")),
                fields=("suggestion", "round", "deputy"),
                name="signoff_one_per_deputy_per_round",
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("level", "deputy"), _negated=True),
                    ("deputy__isnull", False),
                    _connector="OR",
                ),
                name="signoff_deputy_level_names_deputy",
            ),
        ),
        migrations.AddField(
            model_name="inspection",
            name="deputies",
            field=models.ManyToManyField(
                blank=True,
                related_name="inspections",
                to="deputies.deputy",
                verbose_name="deputies who took part",
            ),
        ),
        migrations.AddField(
            model_name="inspection",
            name="key_suggestion",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="inspections",
                to="suggestions.keysuggestion",
                verbose_name="key suggestion",
            ),
        ),
        migrations.AddField(
            model_name="inspection",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="inspectionfile",
            name="inspection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="files",
                to="suggestions.inspection",
                verbose_name="inspection visit",
            ),
        ),
        migrations.AddIndex(
            model_name="similarityentry",
            index=models.Index(
                condition=models.Q(("raised_before", True)),
                fields=["raised_before"],
                name="similarity_raised_before",
            ),
        ),
        migrations.AddIndex(
            model_name="similarityentry",
            index=models.Index(
                condition=models.Q(("raised_by_several", True)),
                fields=["raised_by_several"],
                name="similarity_raised_by_several",
            ),
        ),
        migrations.RunPython(_signoff_triggers.create, _signoff_triggers.drop),
        migrations.RunPython(_new_tables_append_only, migrations.RunPython.noop),
        migrations.RunPython(_grams_index, _drop_grams_index),
    ]
