"""The demo's press and social items: written for Amane's demo (not copied from any article), about
fictional people in real Moroccan places, in Arabic, Darija (Arabic and Latin script) and French.

Each story is told by several outlets; `hours` is how long before the demo's now the item was published.
The outlets are real Moroccan media; the links are made up (their paths say "demo") and the feeds are
stored inactive: the demo never polls the Internet.
"""

from __future__ import annotations

# (name, feed address) of real Moroccan outlets; stored inactive.
OUTLETS = [
    ("هسبريس", "https://www.hespress.com/feed"),
    ("Le360", "https://fr.le360.ma/rss"),
    ("اليوم 24", "https://alyaoum24.com/feed"),
    ("Médias24", "https://medias24.com/feed/"),
    ("هبة بريس", "https://ar.hibapress.com/feed"),
]

# (outlet index or None for a social post, link, author, hours ago, text)
Story = list[tuple[int | None, str, str, int, str]]

STORIES: list[Story] = [
    [  # Casablanca, Hay Mohammadi: snatching thefts, two suspects arrested
        (
            0,
            "https://www.hespress.com/demo/hay-mohammadi-1",
            "",
            30,
            "أوقفت عناصر الشرطة بالدار البيضاء، أمس الأحد، شخصين يشتبه في تورطهما في سرقة الهواتف بالخطف "
            "باستعمال دراجة نارية بالحي المحمدي، وتم حجز أربعة هواتف محمولة.",
        ),
        (
            2,
            "https://alyaoum24.com/demo/hay-mohammadi-2",
            "",
            28,
            "تمكنت المصالح الأمنية بالحي المحمدي في الدار البيضاء من توقيف شخصين على متن دراجة نارية متورطين في سرقة "
            "الهواتف بالخطف، مع حجز أربعة هواتف.",
        ),
        (
            1,
            "https://fr.le360.ma/demo/hay-mohammadi-3",
            "",
            26,
            "Casablanca: deux individus à moto interpellés au Hay Mohammadi pour des vols de téléphones à l'arraché, "
            "quatre téléphones saisis.",
        ),
        (
            None,
            "https://www.facebook.com/demo/posts/1001",
            "@hay.mohammadi.news",
            25,
            "الحي المحمدي: البوليس شدو جوج ديال الشفارة ديال التيليفونات كانو كيخطفو بالموطور، الله يجازيهم بخير",
        ),
    ],
    [  # Rabat, Hay Riad: residents ask for patrols after burglaries
        (
            4,
            "https://ar.hibapress.com/demo/hay-riad-1",
            "",
            20,
            "طالب سكان حي الرياض بالرباط بتكثيف الدوريات الأمنية ليلا بعد تسجيل ثلاث سرقات لمنازل خلال أسبوع واحد.",
        ),
        (
            None,
            "https://www.facebook.com/demo/posts/1002",
            "@riad.voisins",
            19,
            "سكان حي الرياض بالرباط كيطالبو بتكثيف الدوريات الأمنية ليلا، ثلاث سرقات لمنازل فهاد الأسبوع",
        ),
        (
            3,
            "https://medias24.com/demo/hay-riad-3",
            "",
            18,
            "Rabat: les habitants de Hay Riad réclament des patrouilles de nuit après trois cambriolages de maisons "
            "en une semaine.",
        ),
    ],
    [  # Fès: a false story of child kidnappings near a school, denied
        (
            None,
            "https://www.facebook.com/demo/posts/1003",
            "@fes.alerte",
            14,
            "عاجل فاس: عصابة كتختطف الأطفال أمام مدرسة بحي النرجس، ردو البال لولادكم",
        ),
        (
            None,
            "https://twitter.com/demo/status/1004",
            "@fassi_87",
            13,
            "Fes: 3issaba kat5tef drari sghar 9dam madrassa f Narjiss, rdou lbal",
        ),
        (
            0,
            "https://www.hespress.com/demo/fes-4",
            "",
            10,
            "نفت ولاية أمن فاس صحة الأخبار المتداولة على مواقع التواصل الاجتماعي حول اختطاف أطفال أمام مدرسة "
            "بحي النرجس، مؤكدة أن الأمر يتعلق بإشاعة.",
        ),
        (
            1,
            "https://fr.le360.ma/demo/fes-5",
            "",
            9,
            "Fès: la sûreté dément les rumeurs d'enlèvements d'enfants devant une école du quartier Narjiss.",
        ),
    ],
    [  # Marrakech, Guéliz: a tourist's bag snatched, suspect arrested
        (
            1,
            "https://fr.le360.ma/demo/gueliz-1",
            "",
            40,
            "Marrakech: un suspect interpellé à Guéliz après le vol du sac d'une touriste devant un café.",
        ),
        (
            0,
            "https://www.hespress.com/demo/gueliz-2",
            "",
            38,
            "أوقفت الشرطة بمراكش شخصا يشتبه في سرقة حقيبة سائحة أمام مقهى بحي جليز.",
        ),
        (
            3,
            "https://medias24.com/demo/gueliz-3",
            "",
            37,
            "Marrakech: vol du sac d'une touriste à Guéliz, le suspect arrêté par la police.",
        ),
    ],
    [  # Tanger: cannabis resin seized at the port
        (
            2,
            "https://alyaoum24.com/demo/tanger-1",
            "",
            50,
            "حجزت عناصر الأمن بميناء طنجة المتوسط طنا و200 كيلوغرام من مخدر الشيرا مخبأة في شاحنة للنقل الدولي.",
        ),
        (
            1,
            "https://fr.le360.ma/demo/tanger-2",
            "",
            48,
            "Tanger: 1200 kg de chira saisis dans un camion de transport international au port Tanger Med.",
        ),
        (
            4,
            "https://ar.hibapress.com/demo/tanger-3",
            "",
            47,
            "طنجة: حجز 1200 كيلوغرام من الشيرا داخل شاحنة بميناء طنجة المتوسط.",
        ),
    ],
    [  # Salé: a knife fight in Hay Karima
        (
            None,
            "https://www.facebook.com/demo/posts/1006",
            "@sla.live",
            6,
            "سلا حي كريمة: شجار بالسلاح الأبيض بين جوج ديال الشباب، واحد مجروح بجروح خطيرة، الفيديو كيدور",
        ),
        (
            0,
            "https://www.hespress.com/demo/sale-2",
            "",
            5,
            "أصيب شاب بجروح خطيرة إثر شجار بالسلاح الأبيض بحي كريمة بسلا، وفتحت الشرطة بحثا لتوقيف المعتدي.",
        ),
        (
            3,
            "https://medias24.com/demo/sale-3",
            "",
            4,
            "Salé: un jeune grièvement blessé à l'arme blanche lors d'une rixe à Hay Karima, la police recherche "
            "l'agresseur.",
        ),
    ],
    [  # Agadir: traffic accident
        (
            4,
            "https://ar.hibapress.com/demo/agadir-1",
            "",
            60,
            "أسفرت حادثة سير بين سيارة أجرة وشاحنة بمدخل أكادير عن إصابة خمسة أشخاص بجروح متفاوتة الخطورة.",
        ),
        (
            1,
            "https://fr.le360.ma/demo/agadir-2",
            "",
            58,
            "Agadir: cinq blessés dans une collision entre un taxi et un camion à l'entrée de la ville.",
        ),
    ],
    [  # Oujda: residents of a neighbourhood ask for lighting and patrols
        (
            None,
            "https://www.facebook.com/demo/posts/1008",
            "@oujda.citoyens",
            16,
            "وجدة: سكان حي الأندلس كيطالبو بالإنارة والدوريات الأمنية، السرقة تحت التهديد ولات بزاف فالليل",
        ),
        (
            2,
            "https://alyaoum24.com/demo/oujda-2",
            "",
            15,
            "يطالب سكان حي الأندلس بوجدة بتعزيز الإنارة والدوريات الأمنية بعد تزايد حالات السرقة تحت التهديد ليلا.",
        ),
    ],
    [  # Meknès: a fake video of a police officer
        (
            None,
            "https://www.facebook.com/demo/posts/1009",
            "@meknes.today",
            12,
            "مكناس: فيديو متداول كيبين تعنيف مواطن من طرف بوليسي، واش هادشي معقول؟",
        ),
        (
            0,
            "https://www.hespress.com/demo/meknes-2",
            "",
            8,
            "أوضحت المديرية العامة للأمن الوطني أن الفيديو المتداول حول تعنيف مواطن بمكناس قديم وصور خارج المغرب.",
        ),
    ],
    [  # Tétouan: a single item
        (
            2,
            "https://alyaoum24.com/demo/tetouan-1",
            "",
            3,
            "أطلقت ولاية أمن تطوان حملة تحسيسية لفائدة تلاميذ المؤسسات التعليمية حول مخاطر المخدرات.",
        ),
    ],
    [  # Kénitra: a single French item
        (
            3,
            "https://medias24.com/demo/kenitra-1",
            "",
            2,
            "Kénitra: un réseau d'escroquerie aux faux contrats de travail démantelé, trois suspects interpellés.",
        ),
    ],
]
