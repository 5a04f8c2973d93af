"""The mutation score per module, after `python3 -m mutmut run` (see pyproject.toml's [tool.mutmut] and
docs/mutation.md): killed (a test failed, or the mutant hung and was stopped) out of every mutant that was run.

    python3 tests/mutation_score.py            # one line per module, then the total
    python3 tests/mutation_score.py --survivors  # and the name of every survivor (mutmut show NAME shows it)
    python3 tests/mutation_score.py --not-run fulian_desktop.store.audit  # the names of the module's mutants not run yet
        (or found without tests when the statistics were older than the code), to name them to `mutmut run`: a
        pattern such as "fulian_desktop.store.audit.*" runs every mutant of the module again, results or not
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, 37, -11}  # a failing test, pytest's internal error, a time-out, the type check,
# a test process that crashed (-11: SQLite made to put triggers on a search index's own tables)
SURVIVED = {0}
NO_TESTS = {5, 33}


def scores(folder: Path) -> dict[str, tuple[Counter[str], list[str]]]:
    out: dict[str, tuple[Counter[str], list[str]]] = {}
    for meta in sorted(folder.rglob("*.py.meta")):
        module = str(meta.relative_to(folder))[: -len(".py.meta")].replace("/", ".")
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        counts: Counter[str] = Counter()
        survivors = []
        for name, code in sorted(codes.items()):
            if code is None:
                counts["not run"] += 1
            elif code in KILLED:
                counts["killed"] += 1
            elif code in SURVIVED:
                counts["survived"] += 1
                survivors.append(name)
            elif code in NO_TESTS:
                counts["no tests"] += 1
                survivors.append(name)
            else:
                counts["other"] += 1
        if codes:
            out[module] = (counts, survivors)
    return out


def not_run(folder: Path, module: str) -> list[str]:
    meta = folder / (module.replace(".", "/") + ".py.meta")
    codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {}) if meta.is_file() else {}
    return sorted(name for name, code in codes.items() if code is None or code in NO_TESTS)


def main(argv: list[str]) -> int:
    folder = Path("mutants")
    if not folder.is_dir():
        print("No mutants/ folder here: run `python3 -m mutmut run` first (from the checkout's top folder).")
        return 1
    if "--not-run" in argv:
        print("\n".join(not_run(folder, argv[argv.index("--not-run") + 1])))
        return 0
    total: Counter[str] = Counter()
    for module, (counts, survivors) in scores(folder).items():
        ran = counts["killed"] + counts["survived"] + counts["no tests"]
        total.update(counts)
        if not ran:  # (none run yet: said, not left out of the report)
            print(f"{module:45}     0/0     killed     — %  ({counts['not run']} not run)")
            continue
        print(f"{module:45} {counts['killed']:5}/{ran:<5} killed {100 * counts['killed'] / ran:5.1f} %"
              + (f"  ({counts['not run']} not run)" if counts["not run"] else ""))
        if "--survivors" in argv:
            for name in survivors:
                print("    " + name)
    ran = total["killed"] + total["survived"] + total["no tests"]
    if ran:
        print(f"{'total':45} {total['killed']:5}/{ran:<5} killed {100 * total['killed'] / ran:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
