"""The finder's grams for the suggestions entered before it (its marks come from
``manage.py similarity_refresh``, which compares every suggestion with the others)."""

from django.db import migrations

from suggestions import similarity

BATCH = 2000


def backfill(apps, schema_editor):
    Suggestion = apps.get_model("suggestions", "Suggestion")
    SimilarityEntry = apps.get_model("suggestions", "SimilarityEntry")
    rows = Suggestion.objects.order_by("pk").values_list("pk", "title", "content")
    batch = []
    for pk, title, content in rows.iterator(chunk_size=BATCH):
        batch.append(
            SimilarityEntry(
                suggestion_id=pk, grams=similarity.as_text(similarity.grams(title, content))
            )
        )
        if len(batch) == BATCH:
            SimilarityEntry.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SimilarityEntry.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0013_merge_key_visits_similarity")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
