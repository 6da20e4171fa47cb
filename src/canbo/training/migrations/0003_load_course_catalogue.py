"""Load the shipped provincial course catalogue (canbo/data/training_catalogue.yaml; issue 13 §1).
Idempotent by course code; reversing leaves the rows (a province may have edited them)."""

from django.db import migrations


def load(apps, schema_editor):
    from canbo.core.training.catalogue import default_catalogue

    Course = apps.get_model("training", "Course")
    for c in default_catalogue():
        Course.objects.update_or_create(
            code=c.code,
            defaults=dict(
                name=c.name,
                kind=c.kind,
                target_dimension=c.dimension,
                target_level=c.level,
                field_of_study=c.field,
                months=c.months,
                cost_vnd=c.cost,
                provider=c.provider,
                study_mode=c.mode,
                seats_per_intake=c.seats_per_intake,
                seats_per_year=c.seats_per_year,
                prerequisites=[list(p) for p in c.prerequisites],
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0002_course_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
