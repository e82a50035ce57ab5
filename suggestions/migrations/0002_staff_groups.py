from django.db import migrations

COMMITTEE_OFFICE = "committee office"
REVIEWERS = "reviewers"


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in (COMMITTEE_OFFICE, REVIEWERS):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
