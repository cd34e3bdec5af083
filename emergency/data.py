"""Reference table of line 19: call categories with their triage questions.

The categories are loaded by a data migration (`load_call_categories`), which transactional tests
call again after a flush.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps


def q(code: str, ar: str, fr: str, en: str, yes: int = 0, no: int = 0) -> dict[str, Any]:
    """A yes/no triage question; a negative delta raises the priority (P2 - 1 = P1)."""
    return {"code": code, "ar": ar, "fr": fr, "en": en, "yes": yes, "no": no}


ARMED = q("armed", "هل يحمل المعتدي سلاحا؟", "L'agresseur est-il armé ?", "Is the attacker armed?", yes=-1)
INJURED = q("injured", "هل هناك مصابون؟", "Y a-t-il des blessés ?", "Is anyone injured?", yes=-1)
ONGOING = q(
    "ongoing", "هل ما زال الفعل جاريا الآن؟", "Les faits sont-ils en cours ?", "Is it happening now?", yes=0, no=1
)

# code, ar, fr, en, base priority, group, questions, complaint category
CALL_CATEGORIES: tuple[tuple[str, str, str, str, str, str, list[dict[str, Any]], str], ...] = (
    (
        "violence_in_progress",
        "اعتداء جار",
        "Agression en cours",
        "Violence in progress",
        "P2",
        "violence",
        [ARMED, INJURED, ONGOING],
        "assault",
    ),
    (
        "fight",
        "شجار في الشارع العام",
        "Rixe sur la voie publique",
        "Fight in a public place",
        "P2",
        "violence",
        [
            ARMED,
            INJURED,
            q("crowd", "هل يشارك أكثر من ثلاثة أشخاص؟", "Plus de trois personnes ?", "More than three people?", yes=-1),
        ],
        "assault",
    ),
    (
        "domestic_violence",
        "عنف أسري",
        "Violence conjugale ou familiale",
        "Domestic violence",
        "P2",
        "violence",
        [
            INJURED,
            q(
                "children",
                "هل يوجد أطفال في المكان؟",
                "Des enfants sont-ils présents ?",
                "Are children present?",
                yes=-1,
            ),
            ONGOING,
        ],
        "domestic_violence",
    ),
    (
        "street_robbery",
        "سرقة بالخطف أو بالعنف",
        "Vol à l'arraché ou avec violence",
        "Street robbery",
        "P2",
        "violence",
        [
            ARMED,
            INJURED,
            q(
                "fleeing",
                "هل الفاعل ما زال في المكان؟",
                "L'auteur est-il encore sur place ?",
                "Is the offender still there?",
                yes=-1,
                no=1,
            ),
        ],
        "theft",
    ),
    (
        "burglary_in_progress",
        "سرقة منزل أو محل جارية",
        "Cambriolage en cours",
        "Burglary in progress",
        "P2",
        "property",
        [
            q(
                "inside",
                "هل الفاعلون داخل المكان الآن؟",
                "Les auteurs sont-ils à l'intérieur ?",
                "Are they inside now?",
                yes=-1,
                no=1,
            ),
            q(
                "occupants",
                "هل يوجد سكان بالداخل؟",
                "Des occupants sont-ils à l'intérieur ?",
                "Are occupants inside?",
                yes=-1,
            ),
        ],
        "theft",
    ),
    (
        "suspicious_person",
        "شخص مشبوه",
        "Personne suspecte",
        "Suspicious person",
        "P3",
        "property",
        [ARMED, q("vehicle", "هل يستعمل مركبة؟", "Utilise-t-il un véhicule ?", "Is a vehicle involved?", yes=0)],
        "",
    ),
    (
        "traffic_accident_injuries",
        "حادثة سير بإصابات",
        "Accident de la circulation avec blessés",
        "Traffic accident with injuries",
        "P2",
        "traffic",
        [
            q(
                "trapped",
                "هل يوجد شخص عالق داخل مركبة؟",
                "Une personne est-elle coincée ?",
                "Is someone trapped?",
                yes=-1,
            ),
            q("blocking", "هل الطريق مقطوعة؟", "La route est-elle bloquée ?", "Is the road blocked?", yes=0),
        ],
        "traffic_accident",
    ),
    (
        "traffic_accident",
        "حادثة سير بدون إصابات",
        "Accident matériel",
        "Traffic accident, no injuries",
        "P3",
        "traffic",
        [
            q("blocking", "هل الطريق مقطوعة؟", "La route est-elle bloquée ?", "Is the road blocked?", yes=0, no=1),
            q(
                "dispute",
                "هل هناك نزاع بين السائقين؟",
                "Y a-t-il une dispute entre conducteurs ?",
                "Are the drivers arguing?",
                yes=-1,
            ),
        ],
        "traffic_accident",
    ),
    (
        "lost_child",
        "طفل تائه",
        "Enfant perdu",
        "Lost child",
        "P2",
        "missing",
        [
            q(
                "young",
                "هل عمر الطفل أقل من سبع سنوات؟",
                "L'enfant a-t-il moins de sept ans ?",
                "Is the child under seven?",
                yes=-1,
            ),
            q(
                "hour",
                "هل مر أكثر من ساعة؟",
                "Plus d'une heure s'est-elle écoulée ?",
                "Has it been more than an hour?",
                yes=-1,
            ),
        ],
        "minors",
    ),
    (
        "noise",
        "إزعاج ليلي",
        "Tapage nocturne",
        "Noise",
        "P4",
        "nuisance",
        [
            q(
                "threats",
                "هل هناك تهديد أو سب؟",
                "Y a-t-il des menaces ou des insultes ?",
                "Are there threats or insults?",
                yes=-1,
            ),
            q("repeat", "هل تكرر ذلك الليلة؟", "Est-ce répété cette nuit ?", "Has it been repeated tonight?", yes=0),
        ],
        "nuisance",
    ),
    (
        "fire_medical",
        "حريق أو حالة صحية تستدعي المساعدة",
        "Incendie ou assistance médicale",
        "Fire or medical assistance",
        "P2",
        "assist",
        [
            q(
                "conscious",
                "هل الشخص فاقد للوعي؟",
                "La personne est-elle inconsciente ?",
                "Is the person unconscious?",
                yes=-1,
            ),
            q("spreading", "هل الحريق ينتشر؟", "Le feu se propage-t-il ?", "Is the fire spreading?", yes=-1),
        ],
        "",
    ),
)


def load_call_categories(apps: Any = None, schema_editor: Any = None) -> None:
    """Create or refresh the reference list (used by the data migration and after a test flush)."""
    apps = apps or global_apps
    CallCategory = apps.get_model("emergency", "CallCategory")
    for position, (code, ar, fr, en, prio, group, questions, case_cat) in enumerate(CALL_CATEGORIES):
        CallCategory.objects.update_or_create(
            code=code,
            defaults={
                "name_ar": ar,
                "name_fr": fr,
                "name_en": en,
                "base_priority": prio,
                "group": group,
                "questions": questions,
                "case_category_code": case_cat,
                "position": position,
                "active": True,
            },
        )
