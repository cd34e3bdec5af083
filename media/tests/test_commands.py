"""The management commands end to end: media_analyse on a small JSONL, media_evaluate, media_train."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

ITEMS = [
    {
        "text": "أوقفت عناصر الشرطة القضائية بالدار البيضاء، يوم الاثنين 26 شتنبر 2022، ثلاثة أشخاص يشتبه في تورطهم في "
        "سرقة تحت التهديد بالسلاح الأبيض بحي سيدي مومن.",
        "url": "https://www.hespress.com/1",
        "published": "2022-09-27T09:00:00+01:00",
    },
    {
        "text": "La police judiciaire de Casablanca a interpellé lundi trois individus soupçonnés d'un vol sous la "
        "menace d'une arme blanche à Sidi Moumen.",
        "url": "https://le360.ma/2",
        "published": "2022-09-27T12:30:00Z",
    },
    {
        "text": "Les habitants de Salé réclament des patrouilles après des cambriolages, ce mardi.",
        "published": "2022-09-27",
    },
    {"text": "3afakom police dkhlo l 7ay mohammadi, chfara kaysr9o nas kol nhar"},
]


def _run(path: Path, *args: str) -> tuple[list[dict[str, Any]], str]:
    out, err = StringIO(), StringIO()
    call_command("media_analyse", str(path), *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_media_analyse_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in ITEMS), encoding="utf-8")
    rows, err = _run(path)
    assert err == ""
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert [r["lang"] for r in rows] == ["ar", "fr", "fr", "ary-Latn"]
    assert [r["date"] for r in rows] == ["2022-09-26", "2022-09-26", "2022-09-27", None]
    assert rows[0]["date_text"] == "يوم الاثنين 26 شتنبر 2022" and rows[3]["date_text"] is None
    assert rows[0]["event"] == rows[1]["event"] != rows[2]["event"] != rows[3]["event"]
    casablanca = rows[0]["places"][0]
    assert casablanca["name"] == "الدار البيضاء" and casablanca["unit"] == "Casablanca"
    assert 33.4 < casablanca["lat"] < 33.7 and -7.8 < casablanca["lon"] < -7.4
    assert {p["name"] for p in rows[1]["places"]} == {"Casablanca", "Sidi Moumen"}
    assert rows[2]["places"][0]["name"] == "Salé"
    assert rows[0]["label"] == rows[1]["label"] == "incident"
    assert rows[2]["label"] == rows[3]["label"] == "demand"
    assert all(0 < r["confidence"] <= 1 and isinstance(r["harmful"], bool) for r in rows)


def test_bad_lines_are_skipped_and_reported_with_their_number(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    lines = [
        json.dumps(ITEMS[2]),
        "{not json",
        json.dumps({"url": "x"}),
        json.dumps({**ITEMS[2], "published": "27/09"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("media_analyse", str(path), stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert [json.loads(line)["line"] for line in out.getvalue().splitlines()] == [1]
    messages = err.getvalue()
    assert "line 2: not JSON" in messages
    assert "line 3: 'text' is required" in messages
    assert "line 4: Invalid isoformat" in messages


def test_strict_stops_at_the_first_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(ITEMS[2]) + "\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: expected a JSON object"):
        _run(path, "--strict")


def test_media_evaluate_prints_every_class_and_macro() -> None:
    out = StringIO()
    call_command("media_evaluate", stdout=out)
    text = out.getvalue()
    for row in ("demand", "incident", "claim", "rebuttal", "other", "macro", "harmful"):
        line = next(line for line in text.splitlines() if line.startswith(row))
        precision, recall, f1 = (float(x) for x in line.split()[1:4])
        assert 0.5 < f1 <= 1.0 and 0 < precision <= 1 and 0 < recall <= 1


def test_media_train_refuses_a_missing_corrections_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("media_train", "--corrections", str(tmp_path / "none.jsonl"))
