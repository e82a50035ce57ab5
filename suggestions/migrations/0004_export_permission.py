"""The permission to export the suggestion ledger (``suggestions.export_suggestion``).

Created here rather than in ``Suggestion.Meta.permissions`` so the model stays as it is.
The committee office gets it with the app's other permissions
(``permissions.grant_group_permissions``, after every migrate); other staff get it from
an administrator.
"""

from django.db import migrations

CODENAME = "export_suggestion"


def create_permission(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # Content types are normally created after migrating; this one may not exist yet.
    content_type, _ = ContentType.objects.get_or_create(app_label="suggestions", model="suggestion")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can export the suggestion ledger"},
    )


def delete_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="suggestions", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0003_append_only_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_permission, delete_permission)]
