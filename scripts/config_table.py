"""Print the README's configuration table from every process's config dataclass.

`python scripts/config_table.py --write` rewrites the block between the CONFIG markers in
README.md; tests/unit/parley/test_parley_readme.py fails when the README lags the code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- CONFIG:BEGIN -->", "<!-- CONFIG:END -->"
CONFIGS = [
    ("parley.suite", "SuiteConfig", "parley up (supervisor)"),
    ("gateway.config", "GatewayConfig", "gateway"),
    ("services.signalling.service", "SignallingConfig", "signalling"),
    ("services.evidence.config", "EvidenceConfig", "evidence"),
    ("services.audit.service", "AuditConfig", "audit"),
]


def table() -> str:
    sys.path.insert(0, str(README.parent))
    from parley.config import describe

    rows: dict[str, tuple[str, str, list[str]]] = {}
    for module, name, process in CONFIGS:
        cls = getattr(importlib.import_module(module), name)
        for variable, default, help_text in describe(cls):
            if variable in rows:
                rows[variable][2].append(process)
            else:
                rows[variable] = (default, help_text, [process])
    lines = ["| variable | default | used by | meaning |", "| --- | --- | --- | --- |"]
    for variable, (default, help_text, users) in rows.items():
        shown = f"`{default}`" if default not in ("", "None") else "(empty)"
        lines.append(f"| `{variable}` | {shown} | {', '.join(users)} | {help_text} |")
    return "\n".join(lines)


def render(readme: str) -> str:
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    current = README.read_text()
    wanted = render(current)
    if args.write:
        README.write_text(wanted)
        return 0
    if current != wanted:
        print("README.md configuration table is stale: python scripts/config_table.py --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
