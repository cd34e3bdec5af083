"""Categories of public space whose requests partners may follow in the public Open311 feed.

Nuisances, an abandoned vehicle, the public way occupied: nothing about a person. Every other
category stays out of the feed (opt-in, off by default).
"""

from django.db import migrations

NEW = [
    ("abandoned_vehicle", "سيارة متخلى عنها في الطريق العام", "Véhicule abandonné sur la voie publique",
     "Abandoned vehicle", 72, 15, False, "low", "normal", True, "district",
     "معاينة السيارة، التحقق من وضعيتها، إشعار المصالح الجماعية بالرفع.",
     "Constater le véhicule, vérifier sa situation, aviser la commune pour l'enlèvement.",
     "Check the vehicle and its status, ask the commune to remove it."),
    ("public_space_obstruction", "احتلال الملك العمومي", "Occupation de la voie publique",
     "Obstruction of a public space", 72, 15, False, "low", "normal", True, "district",
     "تدخل دورية، تنبيه المخالفين، التنسيق مع السلطة المحلية.",
     "Passage d'une patrouille, avertissement, coordination avec l'autorité locale.",
     "Patrol visit, warning, coordination with the local authority."),
]
PUBLIC_FEED = ("nuisance", "abandoned_vehicle", "public_space_obstruction")


def load(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for (code, ar, fr, en, fa, cd, pm, prio, sens, anon, route, p_ar, p_fr, p_en) in NEW:
        Category.objects.update_or_create(
            code=code,
            defaults=dict(
                name_ar=ar, name_fr=fr, name_en=en, first_action_hours=fa, closure_days=cd,
                prosecutor_mandatory=pm, default_priority=prio, sensitivity=sens, allows_anonymous=anon,
                route_to=route, procedure_ar=p_ar, procedure_fr=p_fr, procedure_en=p_en,
            ),
        )
    Category.objects.filter(code__in=PUBLIC_FEED).update(public_feed=True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_category_public_feed")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
