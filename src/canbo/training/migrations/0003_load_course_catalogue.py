"""Load the shipped provincial course catalogue (canbo/data/training_catalogue.yaml; issue 13 §1).
Idempotent by course code; reversing leaves the rows (a province may have edited them)."""

from django.db import migrations


def load(apps, schema_editor):
    from canbo.core.training.catalogue import default_catalogue

    from django.utils import timezone

    Course = apps.get_model("training", "Course")
    History = apps.get_model("training", "HistoricalCourse")
    for c in default_catalogue():
        obj, created = Course.objects.update_or_create(
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
        # the historical models of a migration do not record history by themselves: write the
        # row django-simple-history would have written (nothing is lost, DESIGN principle 6)
        fields = {f.attname: getattr(obj, f.attname) for f in Course._meta.concrete_fields}
        History.objects.create(
            **fields,
            history_date=timezone.now(),
            history_type="+" if created else "~",
            history_change_reason="Nạp danh mục khóa học mẫu (canbo/data/training_catalogue.yaml)",
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0002_course_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
