from django.db import migrations, models


def fill_summaries(apps, schema_editor):
    """Fill the new field for responses submitted before it existed."""
    from facetscope.assessments.results import summary_of
    from facetscope.instruments.loader import load_definition_data

    Response = apps.get_model("assessments", "Response")
    definitions = {}
    pending = Response.objects.filter(status="submitted", summary__isnull=True).select_related(
        "campaign__instrument_version"
    )
    for response in pending.iterator():
        version = response.campaign.instrument_version
        if version.pk not in definitions:
            definitions[version.pk] = load_definition_data(version.definition_data)
        response.summary = summary_of(
            response.result or {}, response.submitted_answers or {}, definitions[version.pk]
        )
        response.save(update_fields=["summary"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="response",
            name="summary",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(fill_summaries, migrations.RunPython.noop),
    ]
