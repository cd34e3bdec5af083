"""Media analysis benchmark: items per second through `media_analyse`'s pipeline on one core, and memory.

    .venv/bin/python bench/media.py [--n 10000] [--seed 1] [--cpu 0] [--repeat 3]

Generates `--n` items from templates (MSA, Darija in Arabic and Latin script, French; dates in every form the
date finder knows; places of the gazetteer in several spellings; each event told by one to eight outlets in
one or two languages, some copies verbatim or lightly edited), pins the process to one CPU, limits numpy /
BLAS to one thread, warms the pipeline up (triage model loaded or trained, gazetteer loaded) on other items,
then times `Analyser().analyse(items)` `--repeat` times (the machine is shared: median and best reported):
normalisation, language, date, places, shingles and MinHash LSH, event grouping and the triage of every
event. Reports items/s, the time per stage on a further run, the peak resident memory (getrusage) and the
peak Python heap of one more run under tracemalloc (separate, since it slows Python down), the number of
events formed and how many generated events were split or merged. Results go to
bench/results/media-<timestamp>.json (gitignored).
"""

from __future__ import annotations

import os

# Before numpy / scipy / scikit-learn are imported: one thread each, the benchmark measures one core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# First on the path: this script is bench/media.py, and Python puts bench/ first, where "media" is this file.
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amane.settings")

TZ = ZoneInfo("Africa/Casablanca")
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]  # fmt: skip
AR_DAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
FR_DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# (Arabic, French, Arabizi) spellings of places the gazetteer knows, with a neighbourhood where useful.
PLACES = [
    ("الدار البيضاء", "Casablanca", "casa"), ("كازا", "Casa", "kaza"), ("سيدي مومن", "Sidi Moumen", "sidi moumen"),
    ("الحي المحمدي", "Hay Mohammadi", "7ay mohammadi"), ("فاس", "Fès", "fes"), ("سلا", "Salé", "sla"),
    ("الرباط", "Rabat", "rbat"), ("طنجة", "Tanger", "tanja"), ("مراكش", "Marrakech", "marrakech"),
    ("أكادير", "Agadir", "agadir"), ("وجدة", "Oujda", "oujda"), ("مكناس", "Meknès", "meknes"),
    ("القنيطرة", "Kénitra", "kenitra"), ("تطوان", "Tétouan", "tetouan"), ("المحمدية", "Mohammedia", "mohammedia"),
    ("البرنوصي", "Bernoussi", "bernoussi"), ("تمارة", "Témara", "temara"), ("الجديدة", "El Jadida", "jadida"),
    ("آسفي", "Safi", "safi"), ("بني ملال", "Béni Mellal", "beni mellal"), ("العيون", "Laâyoune", "laayoune"),
]  # fmt: skip
# (Arabic noun phrase, French noun phrase, Arabizi phrase) per kind of incident.
CRIMES = [
    ("سرقة بالعنف تحت التهديد بالسلاح الأبيض", "vol avec violence sous la menace d'une arme blanche", "sri9a b mous"),
    ("ترويج المخدرات والأقراص المهلوسة", "trafic de drogue et de psychotropes", "bi3 l7chich w l9ar9oubi"),
    ("سرقة السيارات", "vol de voitures", "sri9at tomobilat"),
    ("النصب والاحتيال", "escroquerie", "nasb 3la nas"),
    ("الاعتداء على المارة", "agression de passants", "drab nas f triq"),
    ("سرقة المنازل", "cambriolage de maisons", "sri9at dyour"),
    ("الهجرة غير النظامية", "émigration irrégulière", "l7rig"),
]
AR_INCIDENT = [
    "أوقفت عناصر الشرطة القضائية بمدينة {p}، {d}، {n} أشخاص يشتبه في تورطهم في {c}، وذلك في إطار بحث قضائي.",
    "تمكنت المصالح الأمنية ب{p} {d} من توقيف {n} مشتبه بهم في قضية {c}، ووضعوا تحت تدبير الحراسة النظرية.",
    "أسفرت عملية أمنية بحي {p} {d} عن توقيف {n} أشخاص متورطين في {c} وحجز مبالغ مالية.",
]
FR_INCIDENT = [
    "La police judiciaire de {p} a interpellé {d} {n} individus soupçonnés de {c}, une enquête est ouverte.",
    "{D}, les services de sûreté de {p} ont arrêté {n} suspects impliqués dans une affaire de {c}.",
]
ARY_DEMAND = [
    "عافاكم البوليس دخلو ل{p}، {c} ولات كل نهار وحتى حد ماكيتحرك",
    "سكان {p} كيطالبو بدوريات، {c} كثرات بزاف {d}",
]
LATN_DEMAND = [
    "3afakom police dkhlo l {p}, {c} wlat kol nhar w 7ta 7ed ma kayt7errek",
    "wach ma kayn 7ta chi 7al f {p}? {c} kol lila, bghina patrouille",
]
AR_DEMAND = ["تطالب ساكنة {p} بتعزيز الدوريات الأمنية بعد تزايد حالات {c} خلال الأسابيع الأخيرة."]
FR_DEMAND = ["Les habitants de {p} réclament le renforcement des patrouilles après une série de cas de {c}."]
AR_CLAIM = ["تداول رواد مواقع التواصل الاجتماعي خبرا عن {c} ب{p} {d}، دون أي تأكيد رسمي."]
FR_CLAIM = ["Une publication virale affirme qu'une affaire de {c} a eu lieu à {p} {d}, sans confirmation officielle."]
AR_REBUTTAL = ["نفت المديرية العامة للأمن الوطني الخبر المتداول حول {c} ب{p}، مؤكدة أنه لا أساس له من الصحة."]
FR_REBUTTAL = ["La DGSN dément l'information relayée sur une affaire de {c} à {p}, dénuée de tout fondement."]
AR_OTHER = ["نظمت ولاية أمن {p} {d} أبوابا مفتوحة لفائدة التلاميذ بمشاركة مختلف المصالح.",
            "فاز فريق {p} بمباراة الأمس في البطولة الوطنية وسط حضور جماهيري كبير."]  # fmt: skip
FR_OTHER = ["La wilaya de sûreté de {p} a organisé {d} une journée portes ouvertes au profit des écoliers."]
OUTLETS = ["hespress.com", "le360.ma", "alyaoum24.com", "medias24.com", "barlamane.com", "chouftv.ma",
           "lematin.ma", "febrayer.com", "facebook.com", "x.com", "tiktok.com", "goud.ma"]  # fmt: skip
NUMBERS_AR = ["ثلاثة", "أربعة", "خمسة", "3", "4", "5", "6", "7"]
NUMBERS_FR = ["trois", "4", "cinq", "3", "quatre", "5", "6", "sept"]


def _date_phrase(rng: random.Random, event_day: datetime, published: datetime, lang: str) -> tuple[str, str]:
    """(Arabic-or-French date phrase, capitalised French variant) in one of the forms the finder knows."""
    gap = (published.date() - event_day.date()).days
    day, month, year, weekday = event_day.day, event_day.month, event_day.year, event_day.weekday()
    if lang == "fr":
        forms = [f"le {day} {FR_MONTHS[month - 1]} {year}", f"ce {FR_DAYS[weekday]} {day} {FR_MONTHS[month - 1]}",
                 f"le {day} {FR_MONTHS[month - 1]} dernier", f"{day:02d}/{month:02d}/{year}"]  # fmt: skip
        if gap == 1:
            forms.append("hier")
        phrase = rng.choice(forms)
        return phrase, phrase[:1].upper() + phrase[1:]
    forms = [f"يوم {AR_DAYS[weekday]} {day} {AR_MONTHS[month - 1]} {year}", f"{day} {AR_MONTHS[month - 1]}{year}",
             f"يوم {day} {AR_MONTHS[month - 1]} الماضي"]  # fmt: skip
    if gap == 1:
        forms.append(f"أمس {AR_DAYS[weekday]}")
    if event_day.month == published.month:
        forms.append(f"يوم {day} الجاري")
    phrase = rng.choice(forms)
    return phrase, phrase


def _story(rng: random.Random, kind: str, lang: str, slots: dict[str, Any]) -> str:
    """One wording of an event of `kind` in `lang`."""
    place, crime, number = slots["place"], slots["crime"], slots["n"]
    table = {
        ("incident", "ar"): AR_INCIDENT, ("incident", "fr"): FR_INCIDENT, ("incident", "ary"): ARY_DEMAND,
        ("demand", "ar"): AR_DEMAND, ("demand", "fr"): FR_DEMAND, ("demand", "ary"): ARY_DEMAND,
        ("demand", "ary-Latn"): LATN_DEMAND, ("incident", "ary-Latn"): LATN_DEMAND, ("claim", "ar"): AR_CLAIM,
        ("claim", "fr"): FR_CLAIM, ("rebuttal", "ar"): AR_REBUTTAL, ("rebuttal", "fr"): FR_REBUTTAL,
        ("other", "ar"): AR_OTHER, ("other", "fr"): FR_OTHER,
    }  # fmt: skip
    if (kind, lang) not in table:
        lang = "ar"
    templates = table[(kind, lang)]
    script = {"ar": 0, "ary": 0, "fr": 1, "ary-Latn": 2}.get(lang, 0)
    text = rng.choice(templates).format(
        p=place[script], c=crime[min(script, 2)], n=number[min(script, 1)], d=slots["d"], D=slots["D"]
    )
    return text


def generate(n: int, seed: int) -> tuple[list[Any], list[int]]:
    """`n` items and, for each, the generated event it belongs to (to measure splits and merges)."""
    from media.analysis.pipeline import Item

    rng = random.Random(seed)
    start = datetime(2024, 3, 1, 8, 0, tzinfo=TZ)
    items: list[Any] = []
    truth: list[int] = []
    event = 0
    kinds = ["incident"] * 5 + ["demand"] * 2 + ["claim", "rebuttal", "other"]
    while len(items) < n:
        event += 1
        kind = rng.choice(kinds)
        day = start + timedelta(days=rng.randrange(90), hours=rng.randrange(12))
        languages = rng.sample(["ar", "fr", "ary", "ary-Latn"], k=rng.choice([1, 1, 2]))
        count = min(n - len(items), rng.choice([1, 1, 2, 2, 3, 4, 6, 8]))
        slots: dict[str, Any] = {"place": rng.choice(PLACES), "crime": rng.choice(CRIMES)}
        count_index = rng.randrange(len(NUMBERS_AR))  # the same number, spelled per language
        slots["n"] = (NUMBERS_AR[count_index], NUMBERS_FR[count_index])
        previous: str | None = None
        for _ in range(count):
            lang = rng.choice(languages)
            published = day + timedelta(days=rng.choice([0, 0, 1]), hours=rng.randrange(10), minutes=rng.randrange(60))
            slots["d"], slots["D"] = _date_phrase(rng, day, published, "fr" if lang == "fr" else "ar")
            if previous is not None and rng.random() < 0.3:
                text = rng.choice([previous, previous.replace("،", ","), f"عاجل | {previous}", f"{previous} (MAP)"])
            else:
                text = _story(rng, kind, lang, slots)
            previous = text
            url = f"https://{rng.choice(OUTLETS)}/{event}-{len(items)}"
            items.append(Item(text=text, url=url, published=published))
            truth.append(event)
    return items, truth


def grouping_quality(results: list[Any], truth: list[int]) -> dict[str, int]:
    """How many generated events were split over several found events, and found events mixing several."""
    found_by_truth: dict[int, set[str]] = defaultdict(set)
    truth_by_found: dict[str, set[int]] = defaultdict(set)
    for result, expected in zip(results, truth, strict=True):
        found_by_truth[expected].add(result.event)
        truth_by_found[result.event].add(expected)
    return {
        "generated_events": len(found_by_truth),
        "found_events": len(truth_by_found),
        "generated_split": sum(len(v) > 1 for v in found_by_truth.values()),
        "found_merged": sum(len(v) > 1 for v in truth_by_found.values()),
    }


def stage_times(items: list[Any]) -> dict[str, float]:
    """Seconds per stage over `items` (second pass, same code as the pipeline, timed piece by piece)."""
    from core.textnorm import normalize
    from media.analysis import lang
    from media.analysis.dates import find_date
    from media.analysis.dedup import shingle_hashes, signature
    from media.analysis.lexicon import concepts, numbers
    from media.analysis.pipeline import Analyser
    from media.analysis.places import places_in
    from media.analysis.triage import get_model

    stages: dict[str, Any] = {
        "normalize": lambda it: normalize(it.text),
        "language": lambda it: lang.detect_language(it.text),
        "date": lambda it: find_date(it.text, it.published.date()),
        "places": lambda it: places_in(it.text),
        "minhash": lambda it: signature(shingle_hashes(normalize(it.text))),
        "lexicon": lambda it: (concepts(normalize(it.text)), numbers(normalize(it.text))),
    }
    out: dict[str, float] = {}
    for name, fn in stages.items():
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        out[name] = time.perf_counter() - t0
    texts = [normalize(it.text) for it in items]
    t0 = time.perf_counter()
    get_model().predict_normalized(texts)
    out["triage"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    Analyser().analyse(items)
    out["whole_pipeline"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cpu", type=int, default=0, help="the CPU to pin the process to")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median and best reported)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})

    import django

    django.setup()
    from media.analysis.pipeline import Analyser
    from media.analysis.triage import get_model

    items, truth = generate(args.n, args.seed)
    warm, _ = generate(500, args.seed + 1)
    Analyser(model=get_model()).analyse(warm)  # model trained or loaded, gazetteer and regexes built
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    runs: list[float] = []
    for _ in range(args.repeat):  # the machine is shared: report the median and the best run
        gc.collect()
        started = time.perf_counter()
        results = Analyser().analyse(items)
        runs.append(time.perf_counter() - started)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    elapsed = statistics.median(runs)

    tracemalloc.start()
    Analyser().analyse(items)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    summary = {
        "items": len(items),
        "seconds": round(elapsed, 3),
        "items_per_second": round(len(items) / elapsed),
        "items_per_second_best": round(len(items) / min(runs)),
        "runs_seconds": [round(r, 3) for r in runs],
        "target_items_per_second": 2000,
        "peak_rss_mb": round(rss_after / 1024, 1),
        "rss_growth_during_run_mb": round((rss_after - rss_before) / 1024, 1),
        "python_heap_peak_mb_during_run": round(heap_peak / 2**20, 1),
        "languages": dict(Counter(r.lang for r in results)),
        "labels": dict(Counter(r.label for r in results)),
        "with_date": sum(r.date is not None for r in results),
        "with_place": sum(bool(r.places) for r in results),
        **grouping_quality(results, truth),
        "stage_seconds": {k: round(v, 3) for k, v in stage_times(items).items()},
        "cpu_affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"media-{stamp}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
