"""Paper sign-offs, revisit decisions, redo grounds, interim checks, the 承办人, categories.

``SignOff.signed_by`` becomes ``signer`` (the person who signed; none for a deputy without
an account), with ``recorded_by`` (who entered it) filled from it for the sign-offs made
so far, all online. The append-only triggers of the tables changed here are dropped for
the change (SQLite rebuilds a table for some alterations, losing its triggers; the
backfill is an UPDATE) and created again, with the new append-only tables', by 0012,
which also fills ``recorded_by`` and makes it required (a migration's foreign keys and
indexes are created at its end, and PostgreSQL alters no table with an UPDATE's trigger
events pending: the backfill runs in a migration of its own).
"""


import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from . import _signoff_triggers

import suggestions.models.paper

CATEGORIES = [
    "城乡建设",
    "城市管理",
    "交通运输",
    "教育",
    "科技",
    "医疗卫生",
    "劳动就业",
    "社会保障",
    "民政和养老服务",
    "农业农村",
    "生态环境",
    "经济发展",
    "财政金融",
    "公共安全",
    "法治建设",
    "文化旅游",
    "其他",
]


def seed_categories(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    used = Suggestion.objects.exclude(category="").values_list("category", flat=True).distinct()
    names = CATEGORIES + sorted(set(used) - set(CATEGORIES))
    Category.objects.bulk_create(
        [Category(name=name, order=n) for n, name in enumerate(names, 1)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("deputies", "0001_initial"),
        ("suggestions", "0010_assignment_unit_statistics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Category",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="name")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Inactive categories are kept for old records.",
                        verbose_name="active",
                    ),
                ),
            ],
            options={
                "verbose_name": "category",
                "verbose_name_plural": "categories",
                "ordering": ["order", "name"],
            },
        ),
        migrations.RunPython(_signoff_triggers.drop, _signoff_triggers.create),
        migrations.RenameField(model_name="signoff", old_name="signed_by", new_name="signer"),
        migrations.AlterField(
            model_name="signoff",
            name="signer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="signer",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="handler",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="handled_assignments",
                to=settings.AUTH_USER_MODEL,
                verbose_name="responsible person",
            ),
        ),
        migrations.AddField(
            model_name="revisit",
            name="decision",
            field=models.CharField(
                choices=[("close", "Close"), ("redo", "Redo")],
                default="close",
                max_length=10,
                verbose_name="decision",
            ),
        ),
        migrations.AddField(
            model_name="revisit",
            name="due_on",
            field=models.DateField(blank=True, null=True, verbose_name="revisit due on"),
        ),
        migrations.AddField(
            model_name="revisit",
            name="early_reason",
            field=models.TextField(blank=True, verbose_name="reason for an early revisit"),
        ),
        migrations.AddField(
            model_name="signoff",
            name="deputy",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="signoffs",
                to="deputies.deputy",
                verbose_name="deputy",
            ),
        ),
        migrations.AddField(
            model_name="signoff",
            name="recorded_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="signoff",
            name="scan",
            field=models.FileField(
                blank=True, editable=False, upload_to="", verbose_name="signed scan"
            ),
        ),
        migrations.AddField(
            model_name="signoff",
            name="signed_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="signed on"
            ),
        ),
        migrations.AddField(
            model_name="signoff",
            name="verified_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="verified by",
            ),
        ),
        migrations.AlterField(
            model_name="redo",
            name="grounds",
            field=models.CharField(
                choices=[
                    ("dissatisfied", "Deputy dissatisfied"),
                    ("nonconforming", "Reply does not conform to the requirements"),
                    ("off_point", "Reply misses the point"),
                    ("not_carried_out", "Measures not carried out"),
                    ("commitment_not_kept", "Commitment found not kept at the revisit"),
                ],
                max_length=20,
                verbose_name="grounds",
            ),
        ),
        migrations.AlterField(
            model_name="signoff",
            name="signed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="recorded at"
            ),
        ),
        migrations.CreateModel(
            name="InterimCheck",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("happened_on", models.DateField(verbose_name="date")),
                ("findings", models.TextField(verbose_name="findings")),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded at"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "suggestion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interim_checks",
                        to="suggestions.suggestion",
                        verbose_name="suggestion",
                    ),
                ),
            ],
            options={
                "verbose_name": "interim check",
                "verbose_name_plural": "interim checks",
                "ordering": ["happened_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PaperSubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(verbose_name="handling round")),
                (
                    "scan",
                    models.FileField(
                        upload_to=suggestions.models.paper.paper_scan_path,
                        verbose_name="signed scan",
                    ),
                ),
                ("signatures", models.JSONField(verbose_name="signatures on the paper")),
                (
                    "submitted_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="submitted at"
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for verification"),
                            ("accepted", "Accepted"),
                            ("refused", "Refused"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="decision",
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="verified at"),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason for refusal")),
                (
                    "assignment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="paper_submissions",
                        to="suggestions.assignment",
                        verbose_name="assignment",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="verified by",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "paper handling record",
                "verbose_name_plural": "paper handling records",
                "ordering": ["-submitted_at"],
            },
        ),
        migrations.AddField(
            model_name="signoff",
            name="paper",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="signoffs",
                to="suggestions.papersubmission",
                verbose_name="paper record",
            ),
        ),
        migrations.CreateModel(
            name="RedoWaiver",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(verbose_name="handling round")),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "decided_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="decided at"
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "suggestion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redo_waivers",
                        to="suggestions.suggestion",
                        verbose_name="suggestion",
                    ),
                ),
            ],
            options={
                "verbose_name": "acceptance without redo",
                "verbose_name_plural": "acceptances without redo",
                "ordering": ["round"],
            },
        ),
        migrations.AddIndex(
            model_name="papersubmission",
            index=models.Index(
                condition=models.Q(("decision", "pending")),
                fields=["submitted_at"],
                name="paper_pending_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="papersubmission",
            constraint=models.UniqueConstraint(
                condition=models.Q(("decision", "pending")),
                fields=("assignment",),
                name="paper_one_pending",
            ),
        ),
        migrations.AddConstraint(
            model_name="redowaiver",
            constraint=models.UniqueConstraint(
                fields=("suggestion", "round"), name="redowaiver_one_per_round"
            ),
        ),
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
    ]
