from django.db import migrations


def load(apps, schema_editor):
    from emergency.data import load_call_categories

    load_call_categories(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("emergency", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
