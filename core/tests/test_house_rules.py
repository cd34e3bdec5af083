"""The house rules of docs/architecture.md, checked on every production module (tests, migrations,
vendored files and the benchmark scripts of bench/ aside): no module over 600 lines, no function over
60 lines unless named below with its reason, and no block of six lines standing twice, identical
(imports aside)."""

from __future__ import annotations

import ast
import collections
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
SKIP = {".venv", "migrations", "tests", "vendor", "var", "node_modules", ".git", "locale", "bench"}
MODULE_MAX = 600
FUNCTION_MAX = 60
WINDOW = 6
# Functions allowed past FUNCTION_MAX, each with its reason (the closing note names them too).
LONG_FUNCTIONS: dict[str, str] = {}


def production_files(*suffixes: str) -> list[pathlib.Path]:
    out = []
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if path.suffix in suffixes and path.is_file() and not (SKIP & set(rel.parts)) and rel.name != "conftest.py":
            out.append(path)
    return out


def test_no_module_over_600_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in production_files(".py")
        if (n := len(p.read_text().splitlines())) > MODULE_MAX
    }
    assert long == {}


def test_no_function_over_60_lines_unless_named_with_a_reason():
    long = {}
    for path in production_files(".py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                name = f"{path.relative_to(ROOT)}:{node.name}"
                if size > FUNCTION_MAX and name not in LONG_FUNCTIONS:
                    long[name] = size
    assert long == {}


def _code_lines(path: pathlib.Path) -> list[tuple[int, str]]:
    """Non-blank lines with their numbers; import statements left out (every module has them)."""
    text = path.read_text()
    skipped: set[int] = set()
    if path.suffix == ".py":
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                skipped.update(range(node.lineno, node.end_lineno + 1))  # type: ignore[operator]
    return [(i, line.rstrip()) for i, line in enumerate(text.splitlines(), 1) if line.strip() and i not in skipped]


def test_no_block_of_six_lines_stands_twice():
    seen: dict[tuple[str, ...], list[str]] = collections.defaultdict(list)
    for path in production_files(".py", ".js"):
        lines = _code_lines(path)
        for k in range(len(lines) - WINDOW + 1):
            block = tuple(line for _, line in lines[k : k + WINDOW])
            if sum(len(line.strip()) > 3 for line in block) >= 4:  # runs of brackets are not code
                seen[block].append(f"{path.relative_to(ROOT)}:{lines[k][0]}")
    twice = sorted(places[0] + " ~ " + places[1] for places in seen.values() if len(places) > 1)
    assert twice == []
