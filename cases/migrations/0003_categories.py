"""The reference list of complaint categories and their procedures (editable by administrators)."""

from django.db import migrations

# code, ar, fr, en, first_action_hours, closure_days, prosecutor_mandatory, priority, sensitivity,
# allows_anonymous, route_to, procedure ar / fr / en
CATEGORIES = [
    ("theft", "سرقة", "Vol", "Theft", 24, 30, True, "normal", "normal", True, "district",
     "تحرير محضر الاستماع، المعاينة، إشعار النيابة العامة.",
     "Procès-verbal d'audition, constatations, avis au parquet.",
     "Hearing record, on-site findings, notify the prosecutor."),
    ("assault", "اعتداء وإيذاء", "Coups et blessures", "Assault", 12, 30, True, "high", "normal", False, "district",
     "توجيه الضحية للحصول على شهادة طبية، الاستماع، إحالة على النيابة العامة.",
     "Orienter la victime vers un certificat médical, audition, transmission au parquet.",
     "Send the victim for a medical certificate, hearing, refer to the prosecutor."),
    ("fraud", "نصب واحتيال", "Escroquerie", "Fraud", 48, 60, True, "normal", "normal", False, "district",
     "جمع الوثائق والإثباتات المالية ثم الإحالة على النيابة العامة.",
     "Recueillir les pièces et preuves financières, puis transmettre au parquet.",
     "Collect documents and financial evidence, then refer to the prosecutor."),
    ("cybercrime", "جرائم معلوماتية", "Cybercriminalité", "Cybercrime", 48, 60, True, "normal", "normal", True, "district",
     "حفظ الأدلة الرقمية (لقطات، روابط) وإخبار المصلحة المختصة بالجرائم المعلوماتية.",
     "Conserver les preuves numériques (captures, liens) et aviser le service de la cybercriminalité.",
     "Preserve digital evidence (screenshots, links) and inform the cybercrime unit."),
    ("threats", "تهديد", "Menaces", "Threats", 24, 30, True, "high", "normal", False, "district",
     "تقييم الخطر على المشتكي، الاستماع، إشعار النيابة العامة.",
     "Évaluer le danger pour le plaignant, audition, avis au parquet.",
     "Assess the danger to the complainant, hearing, notify the prosecutor."),
    ("domestic_violence", "عنف ضد النساء وعنف أسري", "Violence conjugale et familiale", "Domestic violence",
     6, 30, True, "urgent", "protected", False, "district",
     "استقبال الضحية في مكان منفصل، خلية التكفل بالنساء ضحايا العنف، إشعار فوري للنيابة العامة.",
     "Accueil de la victime à l'écart, cellule de prise en charge des femmes victimes de violence, avis immédiat au parquet.",
     "Receive the victim privately, the unit for women victims of violence, notify the prosecutor at once."),
    ("sexual_offence", "جرائم جنسية", "Infractions sexuelles", "Sexual offences", 6, 30, True, "urgent", "protected", False,
     "district",
     "حماية هوية الضحية، فحص طبي، إشعار فوري للنيابة العامة.",
     "Protéger l'identité de la victime, examen médical, avis immédiat au parquet.",
     "Protect the victim's identity, medical examination, notify the prosecutor at once."),
    ("minors", "قاصرون في وضعية صعبة", "Mineurs en danger", "Minors at risk", 6, 30, True, "urgent", "protected", False,
     "district",
     "إشعار النيابة العامة المكلفة بالأحداث وحضور الولي أو المساعدة الاجتماعية.",
     "Aviser le parquet des mineurs, présence du tuteur ou de l'assistante sociale.",
     "Notify the juvenile prosecutor; a guardian or social worker attends."),
    ("officer_misconduct", "شكاية ضد موظف شرطة", "Plainte contre un fonctionnaire de police", "Complaint against an officer",
     48, 60, False, "normal", "against_officer", True, "inspectorate",
     "تحال مباشرة على المفتشية العامة للأمن الوطني، ولا تطلع عليها المصلحة المعنية.",
     "Transmise directement à l'Inspection générale ; le service mis en cause n'y a pas accès.",
     "Sent straight to the Inspectorate; the unit concerned never sees it."),
    ("missing_person", "اختفاء شخص", "Disparition de personne", "Missing person", 2, 30, True, "urgent", "normal", False,
     "district",
     "نشر مذكرة بحث فورا، دون انتظار أي أجل.",
     "Diffuser un avis de recherche immédiatement, sans délai d'attente.",
     "Issue a search notice at once, with no waiting period."),
    ("drugs", "ترويج المخدرات", "Trafic de stupéfiants", "Drug dealing", 24, 45, True, "high", "normal", True, "district",
     "حماية هوية المبلغ، تحريات ميدانية.",
     "Protéger l'identité de l'informateur, investigations de terrain.",
     "Protect the informant's identity, field enquiries."),
    ("traffic_accident", "حادثة سير", "Accident de la circulation", "Traffic accident", 12, 30, True, "normal", "normal",
     False, "district",
     "معاينة الحادثة، محضر، إحالة على النيابة العامة في حالة الإصابات.",
     "Constat, procès-verbal, transmission au parquet en cas de blessés.",
     "Accident report, record, refer to the prosecutor when people are injured."),
    ("nuisance", "إزعاج وإخلال بالنظام العام", "Nuisances et troubles", "Public nuisance", 48, 15, False, "low", "normal",
     True, "district",
     "تدخل دورية، تنبيه المعنيين، تحرير محضر عند التكرار.",
     "Passage d'une patrouille, avertissement, procès-verbal en cas de récidive.",
     "Patrol visit, warning, a record if it happens again."),
    ("lost_documents", "ضياع وثائق", "Perte de documents", "Lost documents", 24, 7, False, "low", "normal", False,
     "district",
     "تسليم تصريح بالضياع للمعني بالأمر.",
     "Remise d'une déclaration de perte à l'intéressé.",
     "Hand the person a declaration of loss."),
]


def load(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for (code, ar, fr, en, fa, cd, pm, prio, sens, anon, route, p_ar, p_fr, p_en) in CATEGORIES:
        Category.objects.update_or_create(
            code=code,
            defaults=dict(
                name_ar=ar, name_fr=fr, name_en=en, first_action_hours=fa, closure_days=cd,
                prosecutor_mandatory=pm, default_priority=prio, sensitivity=sens, allows_anonymous=anon,
                route_to=route, procedure_ar=p_ar, procedure_fr=p_fr, procedure_en=p_en,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
