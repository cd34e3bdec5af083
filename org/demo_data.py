"""Data tables of the demo organisation loaded by `manage.py load_demo`.

Places are real (wilayas, préfectures de police / sûretés, neighbourhoods, streets, approximate
coordinates of the neighbourhood); people are invented. Nothing here is written to the database:
the command builds everything through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "amane-demo"  # noqa: S105  (published demo password, shown by `make run`)


@dataclass(frozen=True)
class Place:
    """A unit to create: code, names, city and coordinates (lat, lon)."""

    code: str
    name_ar: str
    name_fr: str
    lat: float
    lon: float


@dataclass(frozen=True)
class District(Place):
    # Street-level addresses in the neighbourhood: (Arabic, French).
    streets: tuple[tuple[str, str], ...] = ()
    # Optional territory, (lon, lat) ring as GeoJSON has it.
    polygon: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Area(Place):
    districts: tuple[District, ...] = ()


@dataclass(frozen=True)
class Wilaya(Place):
    city: str = ""
    city_ar: str = ""
    slug: str = ""
    prosecutor_ar: str = ""
    areas: tuple[Area, ...] = field(default_factory=tuple)


CENTRAL = Place("DGSN", "المديرية العامة للأمن الوطني", "Direction générale de la Sûreté nationale", 34.0084, -6.8539)
INSPECTORATE = Place(
    "IGSN", "المفتشية العامة للأمن الوطني", "Inspection générale de la Sûreté nationale", 34.0095, -6.8480
)
CENTRAL_COMMUNICATION = Place(
    "DGSN-COM", "خلية التواصل المركزية", "Cellule centrale de communication", 34.0080, -6.8530
)


def _d(code, ar, fr, lat, lon, streets, polygon=()):
    return District(code, f"الدائرة الأمنية {ar}", f"Arrondissement de police {fr}", lat, lon, streets, polygon)


WILAYAS: tuple[Wilaya, ...] = (
    Wilaya(
        "RBT",
        "ولاية أمن الرباط",
        "Wilaya de sûreté de Rabat",
        34.0209,
        -6.8416,
        city="Rabat",
        city_ar="الرباط",
        slug="rabat",
        prosecutor_ar="النيابة العامة لدى المحكمة الابتدائية بالرباط",
        areas=(
            Area(
                "RBT-RB",
                "منطقة أمن الرباط",
                "Préfecture de police de Rabat",
                34.0150,
                -6.8350,
                districts=(
                    _d(
                        "RBT-RB-D1",
                        "حسان",
                        "Hassan",
                        34.0235,
                        -6.8340,
                        (
                            ("شارع محمد الخامس، حسان، الرباط", "Avenue Mohammed V, Hassan, Rabat"),
                            ("شارع علال بن عبد الله، حسان، الرباط", "Avenue Allal Ben Abdellah, Hassan, Rabat"),
                            ("شارع الحسن الثاني، الرباط", "Boulevard Hassan II, Rabat"),
                        ),
                        # Rough outline of Hassan between the medina, the Oudayas and Agdal.
                        (
                            (-6.8450, 34.0150),
                            (-6.8200, 34.0150),
                            (-6.8200, 34.0320),
                            (-6.8450, 34.0320),
                            (-6.8450, 34.0150),
                        ),
                    ),
                    _d(
                        "RBT-RB-D2",
                        "أكدال",
                        "Agdal",
                        33.9930,
                        -6.8520,
                        (
                            ("شارع فال ولد عمير، أكدال، الرباط", "Avenue Fal Ould Oumeir, Agdal, Rabat"),
                            ("شارع ابن سينا، أكدال، الرباط", "Avenue Ibn Sina, Agdal, Rabat"),
                            ("شارع فرنسا، أكدال، الرباط", "Avenue de France, Agdal, Rabat"),
                        ),
                        (
                            (-6.8700, 33.9820),
                            (-6.8400, 33.9820),
                            (-6.8400, 34.0060),
                            (-6.8700, 34.0060),
                            (-6.8700, 33.9820),
                        ),
                    ),
                    _d(
                        "RBT-RB-D3",
                        "حي الرياض",
                        "Hay Riad",
                        33.9590,
                        -6.8720,
                        (
                            ("شارع المهدي بن بركة، حي الرياض، الرباط", "Avenue Mehdi Ben Barka, Hay Riad, Rabat"),
                            ("شارع النخيل، حي الرياض، الرباط", "Avenue Annakhil, Hay Riad, Rabat"),
                        ),
                    ),
                ),
            ),
            Area(
                "RBT-SL",
                "منطقة أمن سلا",
                "Préfecture de police de Salé",
                34.0390,
                -6.8000,
                districts=(
                    _d(
                        "RBT-SL-D1",
                        "سلا المدينة",
                        "Salé-Médina",
                        34.0365,
                        -6.8135,
                        (
                            ("باب لمريسة، سلا", "Bab Lamrissa, Salé"),
                            ("باب شعفة، سلا", "Bab Chaâfa, Salé"),
                        ),
                    ),
                    _d(
                        "RBT-SL-D2",
                        "تابريكت",
                        "Tabriquet",
                        34.0530,
                        -6.7950,
                        (
                            ("حي تابريكت، سلا", "Quartier Tabriquet, Salé"),
                            ("طريق القنيطرة، تابريكت، سلا", "Route de Kénitra, Tabriquet, Salé"),
                        ),
                    ),
                    _d(
                        "RBT-SL-D3",
                        "حي كريمة",
                        "Hay Karima",
                        34.0290,
                        -6.7760,
                        (("حي كريمة، سلا", "Quartier Hay Karima, Salé"),),
                    ),
                ),
            ),
        ),
    ),
    Wilaya(
        "CAS",
        "ولاية أمن الدار البيضاء",
        "Wilaya de sûreté de Casablanca",
        33.5731,
        -7.5898,
        city="Casablanca",
        city_ar="الدار البيضاء",
        slug="casablanca",
        prosecutor_ar="النيابة العامة لدى المحكمة الابتدائية الزجرية بالدار البيضاء",
        areas=(
            Area(
                "CAS-AN",
                "منطقة أمن أنفا",
                "Préfecture de police d'Anfa",
                33.5890,
                -7.6320,
                districts=(
                    _d(
                        "CAS-AN-D1",
                        "المعاريف",
                        "Maârif",
                        33.5850,
                        -7.6330,
                        (
                            ("شارع المسيرة الخضراء، المعاريف، الدار البيضاء", "Boulevard Al Massira Al Khadra, Maârif"),
                            ("شارع الزرقطوني، المعاريف، الدار البيضاء", "Boulevard Zerktouni, Maârif, Casablanca"),
                        ),
                    ),
                    _d(
                        "CAS-AN-D2",
                        "بوركون",
                        "Bourgogne",
                        33.5975,
                        -7.6380,
                        (
                            ("شارع الزيراوي، بوركون، الدار البيضاء", "Boulevard Ziraoui, Bourgogne, Casablanca"),
                            ("شارع مولاي يوسف، الدار البيضاء", "Boulevard Moulay Youssef, Casablanca"),
                        ),
                    ),
                    _d(
                        "CAS-AN-D3",
                        "الواحة",
                        "Oasis",
                        33.5560,
                        -7.6270,
                        (
                            ("طريق الجديدة، الواحة، الدار البيضاء", "Route d'El Jadida, Oasis, Casablanca"),
                            ("شارع عبد الكريم الخطابي، الدار البيضاء", "Boulevard Abdelkrim Khattabi, Casablanca"),
                        ),
                    ),
                ),
            ),
            Area(
                "CAS-HM",
                "منطقة أمن الحي المحمدي عين السبع",
                "Préfecture de police Hay Mohammadi-Aïn Sebaâ",
                33.5990,
                -7.5550,
                districts=(
                    _d(
                        "CAS-HM-D1",
                        "الحي المحمدي",
                        "Hay Mohammadi",
                        33.5935,
                        -7.5590,
                        (
                            ("شارع علي يعتة، الحي المحمدي، الدار البيضاء", "Boulevard Ali Yaâta, Hay Mohammadi"),
                            ("كاريان سنطرال، الحي المحمدي، الدار البيضاء", "Carrières Centrales, Hay Mohammadi"),
                        ),
                    ),
                    _d(
                        "CAS-HM-D2",
                        "عين السبع",
                        "Aïn Sebaâ",
                        33.6050,
                        -7.5370,
                        (
                            ("شارع الشفشاوني، عين السبع، الدار البيضاء", "Boulevard Chefchaouni, Aïn Sebaâ"),
                            ("طريق الرباط، عين السبع، الدار البيضاء", "Route de Rabat, Aïn Sebaâ, Casablanca"),
                        ),
                    ),
                    _d(
                        "CAS-HM-D3",
                        "الصخور السوداء",
                        "Roches Noires",
                        33.5985,
                        -7.5805,
                        (
                            ("شارع مولاي إسماعيل، الصخور السوداء", "Boulevard Moulay Ismaïl, Roches Noires"),
                            ("شارع ابن تاشفين، الدار البيضاء", "Boulevard Ibn Tachfine, Casablanca"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Wilaya(
        "FES",
        "ولاية أمن فاس",
        "Wilaya de sûreté de Fès",
        34.0331,
        -5.0003,
        city="Fès",
        city_ar="فاس",
        slug="fes",
        prosecutor_ar="النيابة العامة لدى المحكمة الابتدائية بفاس",
        areas=(
            Area(
                "FES-MD",
                "منطقة أمن فاس المدينة",
                "Préfecture de police de Fès-Médina",
                34.0620,
                -4.9780,
                districts=(
                    _d(
                        "FES-MD-D1",
                        "البطحاء",
                        "Batha",
                        34.0610,
                        -4.9840,
                        (
                            ("ساحة البطحاء، فاس", "Place Batha, Fès"),
                            ("الطالعة الكبيرة، فاس المدينة", "Talaâ Kebira, Fès-Médina"),
                        ),
                    ),
                    _d(
                        "FES-MD-D2",
                        "باب فتوح",
                        "Bab Ftouh",
                        34.0580,
                        -4.9640,
                        (("ساحة باب فتوح، فاس", "Place Bab Ftouh, Fès"),),
                    ),
                    _d(
                        "FES-MD-D3",
                        "فاس الجديد",
                        "Fès Jdid",
                        34.0550,
                        -4.9930,
                        (
                            ("الزنقة الكبيرة، فاس الجديد", "Grande rue de Fès Jdid, Fès"),
                            ("ساحة العلويين، فاس الجديد", "Place des Alaouites, Fès Jdid"),
                        ),
                    ),
                ),
            ),
            Area(
                "FES-SS",
                "منطقة أمن فاس سايس",
                "Préfecture de police de Fès-Saïss",
                34.0100,
                -4.9850,
                districts=(
                    _d(
                        "FES-SS-D1",
                        "الأطلس",
                        "Atlas",
                        34.0220,
                        -5.0000,
                        (
                            ("شارع القوات المسلحة الملكية، فاس", "Avenue des Forces Armées Royales, Fès"),
                            ("شارع الحسن الثاني، فاس", "Avenue Hassan II, Fès"),
                        ),
                    ),
                    _d(
                        "FES-SS-D2",
                        "النرجس",
                        "Narjiss",
                        34.0040,
                        -4.9710,
                        (
                            ("طريق إيموزار، فاس", "Route d'Imouzzer, Fès"),
                            ("حي النرجس، فاس", "Quartier Narjiss, Fès"),
                        ),
                    ),
                    _d(
                        "FES-SS-D3",
                        "عوينات الحجاج",
                        "Aouinat Hajjaj",
                        34.0170,
                        -4.9560,
                        (("حي عوينات الحجاج، فاس", "Quartier Aouinat El Hajjaj, Fès"),),
                    ),
                ),
            ),
        ),
    ),
    Wilaya(
        "MRK",
        "ولاية أمن مراكش",
        "Wilaya de sûreté de Marrakech",
        31.6295,
        -7.9811,
        city="Marrakech",
        city_ar="مراكش",
        slug="marrakech",
        prosecutor_ar="النيابة العامة لدى المحكمة الابتدائية بمراكش",
        areas=(
            Area(
                "MRK-GM",
                "منطقة أمن جليز المنارة",
                "Préfecture de police Guéliz-Ménara",
                31.6340,
                -8.0150,
                districts=(
                    _d(
                        "MRK-GM-D1",
                        "جليز",
                        "Guéliz",
                        31.6370,
                        -8.0100,
                        (
                            ("شارع محمد الخامس، جليز، مراكش", "Avenue Mohammed V, Guéliz, Marrakech"),
                            ("زنقة الحرية، جليز، مراكش", "Rue de la Liberté, Guéliz, Marrakech"),
                        ),
                    ),
                    _d(
                        "MRK-GM-D2",
                        "الحي الشتوي",
                        "Hivernage",
                        31.6210,
                        -8.0160,
                        (
                            ("شارع الشهداء، الحي الشتوي، مراكش", "Avenue Echouhada, Hivernage, Marrakech"),
                            ("زنقة هارون الرشيد، مراكش", "Rue Haroun Errachid, Hivernage, Marrakech"),
                        ),
                    ),
                    _d(
                        "MRK-GM-D3",
                        "المسيرة",
                        "Massira",
                        31.6150,
                        -8.0600,
                        (
                            ("حي المسيرة 1، مراكش", "Quartier Massira 1, Marrakech"),
                            ("طريق آسفي، مراكش", "Route de Safi, Marrakech"),
                        ),
                    ),
                ),
            ),
            Area(
                "MRK-MD",
                "منطقة أمن مراكش المدينة",
                "Préfecture de police de Marrakech-Médina",
                31.6250,
                -7.9880,
                districts=(
                    _d(
                        "MRK-MD-D1",
                        "جامع الفنا",
                        "Jemaa el-Fna",
                        31.6258,
                        -7.9891,
                        (
                            ("ساحة جامع الفنا، مراكش", "Place Jemaa el-Fna, Marrakech"),
                            ("درب رياض الزيتون القديم، مراكش", "Rue Riad Zitoun El Kdim, Marrakech"),
                        ),
                    ),
                    _d(
                        "MRK-MD-D2",
                        "باب دكالة",
                        "Bab Doukkala",
                        31.6335,
                        -7.9990,
                        (("باب دكالة، مراكش المدينة", "Bab Doukkala, Marrakech-Médina"),),
                    ),
                    _d(
                        "MRK-MD-D3",
                        "سيدي يوسف بن علي",
                        "Sidi Youssef Ben Ali",
                        31.6085,
                        -7.9705,
                        (("حي سيدي يوسف بن علي، مراكش", "Quartier Sidi Youssef Ben Ali, Marrakech"),),
                    ),
                ),
            ),
        ),
    ),
    Wilaya(
        "TNG",
        "ولاية أمن طنجة",
        "Wilaya de sûreté de Tanger",
        35.7673,
        -5.7998,
        city="Tanger",
        city_ar="طنجة",
        slug="tanger",
        prosecutor_ar="النيابة العامة لدى المحكمة الابتدائية بطنجة",
        areas=(
            Area(
                "TNG-MD",
                "منطقة أمن طنجة المدينة",
                "Préfecture de police de Tanger-Médina",
                35.7840,
                -5.8100,
                districts=(
                    _d(
                        "TNG-MD-D1",
                        "المدينة القديمة",
                        "Médina",
                        35.7860,
                        -5.8120,
                        (
                            ("السوق الداخل، طنجة", "Petit Socco, Tanger"),
                            ("ساحة 9 أبريل 1947، طنجة", "Place du 9 Avril 1947 (Grand Socco), Tanger"),
                        ),
                    ),
                    _d(
                        "TNG-MD-D2",
                        "مرشان",
                        "Marshan",
                        35.7880,
                        -5.8250,
                        (("حي مرشان، طنجة", "Quartier Marshan, Tanger"),),
                    ),
                    _d(
                        "TNG-MD-D3",
                        "مالاباطا",
                        "Malabata",
                        35.7770,
                        -5.7800,
                        (
                            ("شارع محمد السادس، مالاباطا، طنجة", "Boulevard Mohammed VI, Malabata, Tanger"),
                            ("حي مالاباطا، طنجة", "Quartier Malabata, Tanger"),
                        ),
                    ),
                ),
            ),
            Area(
                "TNG-BM",
                "منطقة أمن بني مكادة",
                "Préfecture de police de Béni Makada",
                35.7500,
                -5.8150,
                districts=(
                    _d(
                        "TNG-BM-D1",
                        "بني مكادة",
                        "Béni Makada",
                        35.7560,
                        -5.8260,
                        (("حي بني مكادة، طنجة", "Quartier Béni Makada, Tanger"),),
                    ),
                    _d(
                        "TNG-BM-D2",
                        "بئر الشفاء",
                        "Bir Chifa",
                        35.7380,
                        -5.8180,
                        (("حي بئر الشفاء، طنجة", "Quartier Bir Chifa, Tanger"),),
                    ),
                    _d(
                        "TNG-BM-D3",
                        "مغوغة",
                        "Mghogha",
                        35.7490,
                        -5.7880,
                        (
                            ("المنطقة الصناعية مغوغة، طنجة", "Zone industrielle Mghogha, Tanger"),
                            ("حي مغوغة، طنجة", "Quartier Mghogha, Tanger"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    Wilaya(
        "AGA",
        "ولاية أمن أكادير",
        "Wilaya de sûreté d'Agadir",
        30.4202,
        -9.5982,
        city="Agadir",
        city_ar="أكادير",
        slug="agadir",
        prosecutor_ar="النيابة العامة لدى المحكمة الابتدائية بأكادير",
        areas=(
            Area(
                "AGA-AG",
                "منطقة أمن أكادير",
                "Préfecture de police d'Agadir",
                30.4200,
                -9.5900,
                districts=(
                    _d(
                        "AGA-AG-D1",
                        "تالبرجت",
                        "Talborjt",
                        30.4260,
                        -9.5970,
                        (
                            ("حي تالبرجت، أكادير", "Quartier Talborjt, Agadir"),
                            ("شارع الأمير مولاي عبد الله، أكادير", "Avenue du Prince Moulay Abdallah, Agadir"),
                        ),
                    ),
                    _d(
                        "AGA-AG-D2",
                        "حي الداخلة",
                        "Hay Dakhla",
                        30.4050,
                        -9.5620,
                        (("حي الداخلة، أكادير", "Quartier Dakhla, Agadir"),),
                    ),
                    _d(
                        "AGA-AG-D3",
                        "فونتي",
                        "Founty",
                        30.4020,
                        -9.5980,
                        (
                            ("شارع 20 غشت، أكادير", "Boulevard du 20 Août, Agadir"),
                            ("حي فونتي، أكادير", "Quartier Founty, Agadir"),
                        ),
                    ),
                ),
            ),
            Area(
                "AGA-IN",
                "منطقة أمن إنزكان أيت ملول",
                "Sûreté préfectorale d'Inezgane-Aït Melloul",
                30.3550,
                -9.5370,
                districts=(
                    _d(
                        "AGA-IN-D1",
                        "إنزكان",
                        "Inezgane",
                        30.3550,
                        -9.5370,
                        (
                            ("المحطة الطرقية، إنزكان", "Gare routière d'Inezgane"),
                            ("سوق الثلاثاء، إنزكان", "Souk Tlata, Inezgane"),
                        ),
                    ),
                    _d(
                        "AGA-IN-D2",
                        "أيت ملول",
                        "Aït Melloul",
                        30.3340,
                        -9.4970,
                        (("طريق تارودانت، أيت ملول", "Route de Taroudant, Aït Melloul"),),
                    ),
                    _d(
                        "AGA-IN-D3",
                        "الدشيرة الجهادية",
                        "Dcheira El Jihadia",
                        30.3740,
                        -9.5350,
                        (("حي الدشيرة الجهادية", "Quartier Dcheira El Jihadia"),),
                    ),
                ),
            ),
        ),
    ),
)

# Invented people. First names and family names are common in Morocco; the combinations are made
# up by the loader and do not designate anyone.
FIRST_NAMES = (
    "Youssef",
    "Khadija",
    "Hamza",
    "Salma",
    "Othmane",
    "Imane",
    "Anas",
    "Nadia",
    "Mehdi",
    "Zineb",
    "Ayoub",
    "Meryem",
    "Rachid",
    "Samira",
    "Yassine",
    "Hajar",
    "Karim",
    "Fatima-Zahra",
    "Soufiane",
    "Loubna",
    "Ilyas",
    "Houda",
    "Abdelali",
    "Sanaa",
    "Badr",
    "Asmae",
    "Tarik",
    "Ghizlane",
    "Nabil",
    "Widad",
)
LAST_NAMES = (
    "Amrani",
    "Bouzidi",
    "Chafai",
    "Daoudi",
    "El Ouardi",
    "Fikri",
    "Ghanmi",
    "Haddaoui",
    "Idrissi",
    "Jabri",
    "Kabbaj",
    "Lamrani",
    "Mouline",
    "Naciri",
    "Ouazzani",
    "Rifai",
    "Sabri",
    "Tahiri",
    "Zouiten",
    "Bakkali",
    "Chorfi",
    "Essafi",
    "Hajji",
    "Ait Lahcen",
    "Benhaddou",
    "Ziani",
    "Mellouki",
    "Saidi",
    "Tounsi",
    "Yacoubi",
)
# The first letters of a CNIE number follow the issuing city.
CNIE_PREFIXES = {
    "RBT": ("A", "AB", "AE"),
    "CAS": ("BE", "BH", "BK"),
    "FES": ("C", "CD"),
    "MRK": ("E", "EE"),
    "TNG": ("K", "KB"),
    "AGA": ("J", "JB"),
}

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
TRANSFER_NOTES = (
    "الوقائع تدخل في النفوذ الترابي لدائرة أخرى.",
    "Les faits relèvent du ressort territorial d'un autre arrondissement.",
)
