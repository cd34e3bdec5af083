"""`manage.py forecast_evaluate` on a hand-made file with a known answer, and its refusals."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

# Four places 3 km apart (no kernel reaches from one to another). F and A share the southern row, G
# and D the northern one, so by cell id (row, then column) the order is F, A, G, D.
F, A, G, D = "33.50,-7.60", "33.50,-7.56", "33.53,-7.60", "33.53,-7.56"
ROWS = (
    [f"2018-12-28T10:00:00,{A},theft"] * 6
    + [f"2018-12-28T10:00:00,{G},theft"] * 2
    + [f"2018-03-01,{F},assault"] * 2
    # week 1, 2019-01-07 … 01-13 (the same instant, written with and without "Z")
    + [f"2019-01-08T09:30:00Z,{A},theft"] * 2
    + [f"2019-01-08 09:30:00,{G},theft"] * 2
    + [f"2019-01-09T12:00,{D},robbery"]
    # week 2, 2019-01-14 … 01-20
    + [f"2019-01-15,{A},theft", f"2019-01-16,{F},theft", f"2019-01-17,{D},theft"]
)


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "incidents.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    out = StringIO()
    call_command("forecast_evaluate", *args, stdout=out)
    return out.getvalue()


def test_hand_made_file_known_answer(tmp_path: Path) -> None:
    """GIVEN 4 study cells (F, A, G, D), 2 weeks judged from 2019-01-07, coverages 25 % (⌈4·0.25⌉ = 1 cell)
    and 50 % (2 cells).

    History: A 6 and G 2 events at the same instant (2018-12-28), F 2 events on 2018-03-01, D none.
    Week 1 ranking — baseline (365-day counts A 6, F 2, G 2, D 0; F and G tie on the long-run count too,
    so the lower cell id, F, goes first): A, F, G, D. Model: A = 3 × G for any parameters (same instants,
    no kernel overlap); G's events are newer than F's, so G > F > D = 0: A, G, F, D.
    Week 1 events: A 2, G 2, D 1 (5). Top 1 (A) hits 2 for both; best single cell 2.
    Top 2: model A + G = 4, baseline A + F = 2; best two cells 4.
    Week 2 rankings: baseline counts A 8, G 4, F 2, D 1 → A, G first; model A = 6 + 2 vs G = 2 + 2 events at
    the same instants → A > G, and G (4 events, 2 of them a week old) > F (2 old) and > D (1): A, G first.
    Week 2 events: A 1, F 1, D 1 (3). Top 1 (A) hits 1, best 1; top 2 (A, G) hits 1, best 2.
    Pooled over the 8 events:
    25 %: both 3 / 8 = 0.375, PAI 0.375 / 0.25 = 1.5, PEI 3 / (2 + 1) = 1.
    50 %: model 5 / 8 = 0.625, PAI 1.25, PEI 5 / (4 + 2) = 5/6; baseline 3 / 8 = 0.375, PAI 0.75, PEI 0.5.
    """
    path = write(tmp_path, "occurred_at,lat,lon,category\n" + "\n".join(ROWS) + "\n")
    out = json.loads(
        run(
            "--incidents",
            path,
            "--cell-m",
            "150",
            "--coverage",
            "25,50",
            "--start",
            "2019-01-07",
            "--weeks",
            "2",
            "--json",
        )
    )
    assert out["study_cells"] == 4 and out["weeks"] == 2
    assert list(out["coverages"]) == ["25", "50"]
    c25, c50 = out["coverages"]["25"], out["coverages"]["50"]
    for method in ("model", "baseline"):
        assert c25[method] == pytest.approx({"hit": 0.375, "pai": 1.5, "pei": 1.0})
    assert c50["model"] == pytest.approx({"hit": 0.625, "pai": 1.25, "pei": 5 / 6})
    assert c50["baseline"] == pytest.approx({"hit": 0.375, "pai": 0.75, "pei": 0.5})


def test_table_states_study_area_and_coverage(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lon,occurred_at,lat\n"
        + "\n".join(",".join((r.split(",")[2], r.split(",")[0], r.split(",")[1])) for r in ROWS),
    )
    text = run("--incidents", path, "--coverage", "25, 50", "--start", "2019-01-07", "--weeks", "2")
    assert "study area: 4 cells, those that ever held an incident" in text
    assert "judged: 2 weeks from 2019-01-07 to 2019-01-20, 8 incidents" in text
    assert "50 %       2  model       62.50%" in text
    assert "50 %       2  baseline    37.50%" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("when,lat,lon\n2019-01-01,33.5,-7.6\n", "missing column.*occurred_at"),
        ("occurred_at,lat,lon\n", "header but no incident"),
        ("occurred_at,lat,lon\n2019-01-01,33.5,-7.6\n01/02/2019,33.5,-7.6\n", "line 3: occurred_at '01/02/2019'"),
        ("occurred_at,lat,lon\n2019-13-01,33.5,-7.6\n", "line 2: occurred_at"),
        ("occurred_at,lat,lon\n2019-01-01,133.5,-7.6\n", "line 2: lat 133.5 is out of range"),
        ("occurred_at,lat,lon\n2019-01-01,33.5,west\n", "line 2: lon 'west' is not a number"),
        ("occurred_at,lat,lon\n2019-01-01,33.5\n", "line 2: 2 fields"),
        ("occurred_at,lat,lon\n2019-01-01,33.5,-7.6\n", "no whole week to judge"),
    ],
)
def test_bad_input_is_a_clear_command_error(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("--incidents", write(tmp_path, content))


def test_bad_options(tmp_path: Path) -> None:
    path = write(tmp_path, "occurred_at,lat,lon\n" + "\n".join(ROWS))
    with pytest.raises(CommandError, match="not a number"):
        run("--incidents", path, "--coverage", "1,five")
    with pytest.raises(CommandError, match=r"percentage in \(0, 100\]"):
        run("--incidents", path, "--coverage", "0")
    with pytest.raises(CommandError, match="--cell-m"):
        run("--incidents", path, "--cell-m", "-5")
    with pytest.raises(CommandError, match="--start"):
        run("--incidents", path, "--start", "next monday")
    with pytest.raises(CommandError, match="cannot read"):
        run("--incidents", str(tmp_path / "missing.csv"))
