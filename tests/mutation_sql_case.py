"""The mutants of one module that only write an SQL statement in other letter case, found by reading the mutated
copy mutmut made (mutants/…): one string constant changed, and changed only in letter case, with a word of SQL in it
and every quoted literal ('case.print', 'I') as it was, and the string is SQL handed to the database (inside a call of
`execute` or `executemany`, or put into a variable named `sql`) — not a Python comparison, a key or an event's name.
SQLite reads keywords and names (tables, columns, aliases, schemas) without regard to case, so such a mutant behaves
as the program does (docs/mutation.md).

    python3 tests/mutation_sql_case.py fulian_desktop/store/audit.py            # how many, and how many were run
    python3 tests/mutation_sql_case.py fulian_desktop/store/audit.py --names    # their names
    python3 tests/mutation_sql_case.py fulian_desktop/store/audit.py --others   # the names of the other mutants

Run from the checkout's top folder after `python3 -m mutmut run` has made mutants/.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

SQL_WORD = re.compile(r"\b(SELECT|INSERT|DELETE|UPDATE|CREATE|DROP|FROM|WHERE|AND|ORDER BY|LIMIT|JOIN|SAVEPOINT|"
                      r"RELEASE|ROLLBACK)\b", re.IGNORECASE)
LITERAL = re.compile(r"'[^']*'")


def _strings(node: ast.AST) -> list[ast.Constant]:
    return [c for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)]


def _sent_to_the_database(function: ast.FunctionDef, string: ast.Constant) -> bool:
    """Whether the string is (part of) SQL handed to the database: inside `….execute(…)` / `….executemany(…)`, or
    assigned (`=`, `+=`) to a variable named `sql`."""
    for node in ast.walk(function):
        inside = any(n is string for n in ast.walk(node))
        if not inside:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "execute", "executemany"):
            return True
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "sql" for t in targets):
                return True
    return False


def sql_case_only(original: ast.FunctionDef, mutant: ast.FunctionDef) -> bool:
    before, after = _strings(original), _strings(mutant)
    if len(before) != len(after):
        return False
    changed = [(x, y) for x, y in zip(before, after, strict=True) if x.value != y.value]
    if len(changed) != 1:
        return False
    a, b = changed[0][0].value, changed[0][1].value
    if a.lower() != b.lower() or not SQL_WORD.search(a) or LITERAL.findall(a) != LITERAL.findall(b):
        return False
    if not _sent_to_the_database(mutant, changed[0][1]):
        return False
    # nothing else differs: the two bodies are the same once that string and the names are set aside
    same_a = ast.dump(original).replace(original.name, "F").replace(repr(a), "S")
    same_b = ast.dump(mutant).replace(mutant.name, "F").replace(repr(b), "S")
    return same_a == same_b


def classify(module_path: str) -> tuple[list[str], list[str]]:
    """(SQL in other letter case, the other mutants), by mutant name."""
    tree = ast.parse((Path("mutants") / module_path).read_text(encoding="utf-8"))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    prefix = module_path[: -len(".py")].replace("/", ".") + "."
    case, others = [], []
    for name, node in sorted(functions.items()):
        m = re.fullmatch(r"(.*)__mutmut_(\d+)", name)
        original = functions.get(m.group(1) + "__mutmut_orig") if m else None
        if original is None:
            continue
        (case if sql_case_only(original, node) else others).append(prefix + name)
    return case, others


def main(argv: list[str]) -> int:
    if not argv or not Path("mutants", argv[0]).is_file():
        print(__doc__)
        return 1
    case, others = classify(argv[0])
    if "--names" in argv or "--others" in argv:
        print("\n".join(case if "--names" in argv else others))
        return 0
    meta = Path("mutants", argv[0] + ".meta")
    codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {}) if meta.is_file() else {}
    survived = sum(1 for n in case if codes.get(n) == 0)
    run = sum(1 for n in case if codes.get(n) not in (None, 5, 33))
    print(f"{len(case)} mutants only write SQL in other letter case; {run} of them run, {survived} survived")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
