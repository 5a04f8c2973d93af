"""The rooms of the house (docs/ARCHITECTURE.md), read from the code's own imports: no layer imports one above
it, no circle of imports among the command line or the demo, every window file in a wing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fulian_desktop"
BELOW_SERVICES = ("domain", "store", "documents", "reports", "backup")
ABOVE_SERVICES = ("services", "cli", "demo", "gui", "app")
WINGS = {"shell", "cases", "petitions", "referrals", "mediation", "households", "security", "backup", "reports",
         "protection", "exchange"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every fulian_desktop module `module` imports, at the top or inside a function."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            for alias in node.names:
                candidate = f"{name}.{alias.name}"
                out.add(candidate if candidate in known else name)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m in known and m != module and m != "fulian_desktop"}


def graph() -> dict[str, set[str]]:
    known = _modules()
    return {m: imports_of(m, p, known) for m, p in known.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_layer_below_the_services_imports_one_above() -> None:
    wrong = [f"{m} -> {o}" for m, outs in graph().items() if _layer(m) in BELOW_SERVICES
             for o in outs if _layer(o) in ABOVE_SERVICES]
    assert not wrong, wrong


def test_only_the_window_imports_qt() -> None:
    wrong = []
    for module, path in _modules().items():
        if _layer(module) in ("gui",):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n.startswith("PySide6") for n in names) and module != "fulian_desktop.app":
                wrong.append(module)
    assert not wrong, wrong


def test_the_window_reaches_no_further_than_the_services() -> None:
    wrong = [f"{m} -> {o}" for m, outs in graph().items() if _layer(m) == "gui" for o in outs
             if _layer(o) == "store"]
    assert not wrong, wrong


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_no_circle_of_imports_in_the_command_line_or_the_demo() -> None:
    edges = graph()
    circles = [c for c in _cycles(edges) if any(_layer(m) in ("cli", "demo") for m in c)]
    assert not circles, circles


def test_a_circle_is_found_when_there_is_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_window_file_is_in_a_wing() -> None:
    gui = PACKAGE / "gui"
    loose = sorted(p.name for p in gui.iterdir() if p.is_file() and p.name != "__init__.py")
    assert not loose, f"put these in a wing of gui/: {loose}"
    folders = {p.name for p in gui.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    assert folders == WINGS, "a new wing belongs in docs/ARCHITECTURE.md and in pyproject's package list"


def test_every_package_is_installed() -> None:
    text = (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    block = text[text.index("\npackages = ["):]
    listed = set(re.findall(r'"(fulian_desktop[\w.]*)"', block[: block.index("]")]))
    packages = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed, sorted(packages - listed)


def test_the_architecture_notes_name_every_folder() -> None:
    notes = (PACKAGE.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    folders = [p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))]
    missing = [f for f in folders + sorted(WINGS) if f"{f}/" not in notes]
    assert not missing, missing
