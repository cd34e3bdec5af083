"""What people report in the demo complaints, and what officers write on them (Arabic, French)."""

from __future__ import annotations

# Things people report, by category: (Arabic, French) templates. {place} is the neighbourhood,
# {street} an address there, {when} a time of day, {item} / {amount} details.
ITEMS = (
    ("هاتف محمول", "un téléphone portable"),
    ("حقيبة يد بها وثائق شخصية", "un sac à main contenant des papiers d'identité"),
    ("دراجة نارية", "une motocyclette"),
    ("حاسوب محمول", "un ordinateur portable"),
    ("محفظة نقود", "un portefeuille"),
)
TIMES = (
    ("في الصباح الباكر", "tôt le matin"),
    ("حوالي منتصف النهار", "vers midi"),
    ("بعد صلاة العصر", "en fin d'après-midi"),
    ("في الليل", "dans la nuit"),
    ("حوالي الساعة العاشرة ليلا", "vers 22 heures"),
)
DESCRIPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "theft": (
        (
            "تعرضت لسرقة {item} {when} قرب {street}، من طرف شخص كان على متن دراجة نارية ولاذ بالفرار.",
            "On m'a volé {item} {when} près de {street} ; l'auteur, à moto, a pris la fuite.",
        ),
        (
            "اكتشفت صباح اليوم كسر باب سيارتي المركونة بحي {place} وسرقة {item} كان بداخلها.",
            "Ce matin, j'ai trouvé ma voiture garée à {place} fracturée et {item} volé à l'intérieur.",
        ),
        (
            "سرقة {item} داخل حافلة النقل الحضري عند المرور من {street}.",
            "Vol de {item} dans un bus urbain au passage de {street}.",
        ),
    ),
    "assault": (
        (
            "تعرضت لاعتداء بالضرب من طرف شخصين {when} في {street}، وأتوفر على شهادة طبية مدة العجز فيها 21 يوما.",
            "J'ai été frappé par deux individus {when} à {street} ; certificat médical de 21 jours d'incapacité.",
        ),
        (
            "شجار بين جيران بحي {place} انتهى بإصابة ابني بجروح على مستوى الرأس.",
            "Une dispute entre voisins à {place} s'est terminée par une blessure à la tête de mon fils.",
        ),
    ),
    "fraud": (
        (
            "دفعت مبلغ {amount} درهم لشخص ادعى أنه يستطيع تسهيل الحصول على شقة بـ{place}، ثم اختفى.",
            "J'ai versé {amount} dirhams à une personne qui promettait un appartement à {place}, puis elle a disparu.",
        ),
        (
            "اشتريت سيارة مستعملة بـ{amount} درهم وتبين أن وثائقها مزورة.",
            "J'ai acheté une voiture d'occasion {amount} dirhams ; ses papiers se sont révélés faux.",
        ),
    ),
    "cybercrime": (
        (
            "تم اختراق حسابي على فيسبوك ويقوم المخترق بطلب مبالغ مالية من أصدقائي.",
            "Mon compte Facebook a été piraté et le pirate demande de l'argent à mes contacts.",
        ),
        (
            "توصلت برسالة نصية مزيفة باسم البنك وتم سحب {amount} درهم من حسابي.",
            "Après un faux SMS au nom de ma banque, {amount} dirhams ont été retirés de mon compte.",
        ),
        (
            "شخص مجهول يهددني بنشر صور خاصة على مواقع التواصل الاجتماعي إن لم أدفع له مبلغا ماليا.",
            "Un inconnu menace de publier des photos privées sur les réseaux sociaux si je ne le paie pas.",
        ),
    ),
    "threats": (
        (
            "يتلقى المشتكي تهديدات بالقتل عبر الهاتف من طرف شخص معروف لديه بسبب نزاع حول أرض.",
            "Le plaignant reçoit des menaces de mort par téléphone d'une personne connue, pour un litige foncier.",
        ),
        (
            "تهديد بالسلاح الأبيض أمام محل تجاري في {street} {when}.",
            "Menace à l'arme blanche devant un commerce de {street} {when}.",
        ),
    ),
    "domestic_violence": (
        (
            "تصرح المشتكية بتعرضها للعنف الجسدي المتكرر من طرف زوجها بمنزل الزوجية بحي {place}.",
            "La plaignante déclare subir des violences physiques répétées de son mari au domicile, à {place}.",
        ),
        (
            "امرأة تعرضت للضرب والطرد من بيت الزوجية، مرفقة بشهادة طبية.",
            "Femme frappée et chassée du domicile conjugal, certificat médical joint.",
        ),
    ),
    "sexual_offence": (
        (
            "تحرش جنسي متكرر بفتاة في طريقها إلى الثانوية بـ{place}، والمعني معروف لدى الساكنة.",
            "Harcèlement sexuel répété d'une lycéenne sur le chemin de l'école à {place}, auteur connu du quartier.",
        ),
    ),
    "minors": (
        (
            "قاصر يبلغ 14 سنة غادر منزل أسرته ويتواجد في وضعية تشرد قرب {street}.",
            "Un mineur de 14 ans a quitté le domicile familial et erre près de {street}.",
        ),
        (
            "تشغيل أطفال قاصرين في ورشة بحي {place} في ظروف خطيرة.",
            "Des enfants mineurs travaillent dans un atelier de {place} dans des conditions dangereuses.",
        ),
    ),
    "officer_misconduct": (
        (
            "يشتكي المعني من معاملة غير لائقة من طرف موظف شرطة أثناء تسليم وثيقة إدارية.",
            "Le plaignant se plaint d'un comportement incorrect d'un fonctionnaire de police lors d'une démarche.",
        ),
        (
            "ادعاء طلب مبلغ مالي من طرف شرطي مرور في {street} مقابل عدم تحرير مخالفة.",
            "Allégation de demande d'argent par un agent de la circulation à {street} contre l'absence de PV.",
        ),
    ),
    "missing_person": (
        (
            "اختفاء رجل مسن يبلغ 78 سنة يعاني من مرض الزهايمر، شوهد آخر مرة قرب {street} {when}.",
            "Disparition d'un homme de 78 ans atteint d'Alzheimer, vu pour la dernière fois près de {street} {when}.",
        ),
        (
            "لم تعد ابنتي البالغة 16 سنة إلى المنزل منذ أمس بعد خروجها من المؤسسة التعليمية بحي {place}.",
            "Ma fille de 16 ans n'est pas rentrée depuis hier après les cours à {place}.",
        ),
    ),
    "drugs": (
        (
            "ترويج المخدرات والأقراص المهلوسة بشكل يومي قرب مؤسسة تعليمية بحي {place}.",
            "Vente quotidienne de drogue et de psychotropes près d'un établissement scolaire à {place}.",
        ),
        (
            "تجمع أشخاص لتعاطي المخدرات بحديقة عمومية في {street} {when}.",
            "Des individus se réunissent pour consommer de la drogue dans un jardin public de {street} {when}.",
        ),
    ),
    "traffic_accident": (
        (
            "حادثة سير بين سيارة ودراجة نارية في {street} {when} خلفت إصابة السائق بجروح خفيفة.",
            "Accident entre une voiture et une moto à {street} {when}, le motocycliste légèrement blessé.",
        ),
        (
            "اصطدام بين سيارتين عند ملتقى الطرق بحي {place} مع فرار أحد السائقين.",
            "Collision entre deux voitures à un carrefour de {place}, l'un des conducteurs a pris la fuite.",
        ),
    ),
    "nuisance": (
        (
            "إزعاج ليلي متكرر بسبب تجمع شباب وموسيقى صاخبة في {street}.",
            "Tapage nocturne répété : rassemblements de jeunes et musique forte à {street}.",
        ),
        (
            "احتلال الملك العمومي من طرف باعة متجولين يعرقلون حركة السير بحي {place}.",
            "Occupation de la voie publique par des vendeurs ambulants qui bloquent la circulation à {place}.",
        ),
    ),
    "abandoned_vehicle": (
        (
            "سيارة متخلى عنها منذ أسابيع في {street}، بدون لوحة ترقيم وزجاجها مكسور.",
            "Voiture abandonnée depuis des semaines à {street}, sans plaque et vitres brisées.",
        ),
        (
            "دراجة نارية مهملة تعرقل الرصيف قرب المدرسة بحي {place}.",
            "Motocyclette laissée à l'abandon qui encombre le trottoir près de l'école à {place}.",
        ),
    ),
    "public_space_obstruction": (
        (
            "مقهى يحتل الرصيف بالكامل بالكراسي في {street} ويجبر المارة على المشي في الطريق.",
            "Un café occupe tout le trottoir avec ses chaises à {street} "
            "et oblige les piétons à marcher sur la chaussée.",
        ),
        (
            "مواد بناء متروكة على الطريق العمومي بحي {place} منذ أيام.",
            "Des matériaux de construction laissés sur la voie publique à {place} depuis plusieurs jours.",
        ),
    ),
    "lost_documents": (
        (
            "ضياع البطاقة الوطنية ورخصة السياقة {when} بحي {place}.",
            "Perte de la carte nationale et du permis de conduire {when} à {place}.",
        ),
        (
            "ضياع جواز السفر أثناء التنقل بين {street} ومحطة القطار.",
            "Perte du passeport entre {street} et la gare.",
        ),
    ),
}

NOTES = (
    ("تم الاستماع إلى المشتكي وتحرير محضر في الموضوع.", "Audition du plaignant et procès-verbal dressés."),
    ("تمت معاينة المكان وأخذ صور.", "Constatations sur les lieux et photographies effectuées."),
    ("تم الاطلاع على تسجيلات كاميرات المراقبة المجاورة.", "Visionnage des caméras de surveillance voisines."),
    ("تم الاستماع إلى شاهدين.", "Deux témoins entendus."),
)
REQUEST_NOTES = (
    "المرجو الإدلاء بنسخة من الشهادة الطبية.",
    "المرجو الإدلاء بفاتورة شراء الهاتف ورقمه التسلسلي (IMEI).",
    "Merci de fournir les relevés bancaires des opérations contestées.",
    "المرجو تقديم لائحة الشهود وأرقام هواتفهم.",
)
INSTRUCTION_NOTES = (
    "تعليمات النيابة العامة: تعميق البحث والاستماع إلى المشتكى به.",
    "تعليمات النيابة العامة: إحالة المسطرة بعد تنفيذ الأبحاث.",
    "Instructions du parquet : compléter l'enquête et présenter le mis en cause.",
    "تعليمات النيابة العامة: حفظ المسطرة مؤقتا لعدم التعرف على الفاعل.",
)
REOPEN_NOTES = (
    "إعادة فتح الملف بعد ظهور معطيات جديدة أدلى بها المشتكي.",
    "Réouverture : le plaignant a apporté des éléments nouveaux.",
)
# The legal qualification an investigator gives each category's complaints (cases.models.Offence).
OFFENCE_OF_CATEGORY = {
    "theft": "theft",
    "assault": "assault",
    "fraud": "fraud",
    "cybercrime": "cyber_intrusion",
    "threats": "threats",
    "domestic_violence": "violence_against_women",
    "officer_misconduct": "other_offence",
    "sexual_offence": "other_offence",
    "minors": "other_offence",
    "drugs": "other_offence",
    "traffic_accident": "unintentional_injury",
}
# Closing reports, by outcome (the workflow requires one to close).
CLOSING_REPORTS = {
    "solved": "تم تحديد هوية المشتبه فيه والاستماع إليه، وأحيلت المسطرة على النيابة العامة التي قررت في الملف.",
    "referred_competent": "الوقائع لا تدخل في اختصاص الشرطة، وتم توجيه المشتكي إلى الجهة المختصة.",
    "unfounded": "أسفرت الأبحاث والمعاينة عن عدم ثبوت الوقائع المصرح بها.",
    "withdrawn": "تنازل المشتكي عن شكايته بمحضر قانوني.",
}
TRANSFER_NOTES = (
    "الوقائع تدخل في النفوذ الترابي لدائرة أخرى.",
    "Les faits relèvent du ressort territorial d'un autre arrondissement.",
)
