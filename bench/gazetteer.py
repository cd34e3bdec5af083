"""Throughput of text normalisation, place finding and geocoding on one core.

    .venv/bin/python bench/gazetteer.py [--n 20000] [--seconds 5]

Texts are built from templates of Moroccan press and intake phrasing (Arabic, French, Arabizi) with
real place names drawn from the gazetteer, 60 to 200 characters, a third of them naming no place.
Reports items per second for normalize(), find_places() and geocode(), with the machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import gazetteer
from core.textnorm import normalize

TEMPLATES_AR = [
    "أوقفت عناصر الشرطة بحي {n} بمدينة {c} شخصا يشتبه في تورطه في السرقة.",
    "حادثة سير خطيرة على الطريق الرابطة بين {c} و{c2} خلفت جرحى.",
    "فتحت المصالح الأمنية بحثا قضائيا بعد شكاية من مواطن يقطن في {n}.",
    "تدخل سريع لعناصر الأمن بعد بلاغ عن شجار في الشارع العام، والمشتبه فيه رهن الحراسة النظرية.",
]
TEMPLATES_FR = [
    "Les éléments de la sûreté de {c} ont interpellé un suspect au quartier {n}.",
    "Un accident de la circulation entre {c} et {c2} a fait trois blessés.",
    "Une enquête judiciaire a été ouverte par le parquet après une plainte déposée hier.",
]
TEMPLATES_DAR = ["chi wa7ed sre9 liya telephone f {n} f {c}, 3afak chi 7al", "wach kayn police f {c} daba?"]
ADDRESSES = ["زنقة {k}، حي {n}، {c}", "Rue {k}, {n}, {c}", "N° {k} lot Al Amal, {n}", "درب {k} {n}"]


def corpus(n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    cities = [p for p in gazetteer.places(["city"]) if (p.population or 0) > 50_000]
    quarters = gazetteer.places(["neighbourhood", "arrondissement"])
    texts, addresses = [], []
    for _ in range(n):
        c, c2, q = rng.choice(cities), rng.choice(cities), rng.choice(quarters)
        kind = rng.random()
        templates, lang = (
            (TEMPLATES_AR, "ar") if kind < 0.5 else (TEMPLATES_FR, "fr") if kind < 0.85 else (TEMPLATES_DAR, "fr")
        )
        texts.append(rng.choice(templates).format(c=c.name(lang), c2=c2.name(lang), n=q.name(lang)))
        city = gazetteer.get(q.parent)
        while city is not None and city.kind not in ("city", "commune"):
            city = gazetteer.get(city.parent)
        address_lang = rng.choice(["ar", "fr"])
        addresses.append(
            rng.choice(ADDRESSES).format(
                k=rng.randint(1, 120), n=q.name(address_lang), c=city.name(address_lang) if city else ""
            )
        )
    return texts, addresses


def rate(func: Callable[[str], object], items: list[str], seconds: float) -> float:
    """Items per second over at least `seconds`, cycling through the items."""
    done, start = 0, time.perf_counter()
    while True:
        for item in items:
            func(item)
        done += len(items)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="distinct texts and addresses")
    parser.add_argument("--seconds", type=float, default=5.0, help="minimum time per measure")
    args = parser.parse_args()
    rng = random.Random(19)
    texts, addresses = corpus(args.n, rng)
    gazetteer.find_places("warm-up: الدار البيضاء")  # load the data and build the automaton
    when = datetime.now(UTC).isoformat(timespec="seconds")
    results = {
        "when": when,
        "load_before": os.getloadavg(),
        "texts_mean_chars": sum(map(len, texts)) / len(texts),
        "normalize_per_s": rate(normalize, texts, args.seconds),
        "find_places_per_s": rate(gazetteer.find_places, texts, args.seconds),
        "geocode_per_s": rate(gazetteer.geocode, addresses, args.seconds),
        "mentions_per_text": sum(len(gazetteer.find_places(t)) for t in texts[:2000]) / 2000,
        "geocoded_share": sum(gazetteer.geocode(a) is not None for a in addresses[:2000]) / 2000,
        "load_after": os.getloadavg(),
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    stamp = when.replace(":", "")
    (out / f"gazetteer-{stamp}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
