"""Write the README's key tables from tui/keys.py, the one home of every binding.

python scripts/readme_keys.py          # rewrite the block in README.md
python scripts/readme_keys.py --check  # exit 1 if README.md is out of date (the tests run this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START, END = "<!-- keys:start -->", "<!-- keys:end -->"
GROUPS = [
    ("Everywhere", "APP"),
    ("Main screen", "MAIN"),
    ("Every pane", "PANE"),
    ("Checklist pane", "CHECKLIST"),
    ("Notes pane", "NOTES"),
    ("Tables pane", "TABLES"),
    ("Table detail", "TABLE_DETAIL"),
    ("Checklist review (`r`)", "REVIEW"),
    ("Edit forms", "FORM"),
    ("Note form (`n`)", "NOTE_FORM"),
    ("Throw away typed text? (Esc or Ctrl+Q over a changed form)", "DISCARD"),
    ("Delete confirmation", "CONFIRM"),
    ("Someone else changed it meanwhile", "CONFLICT"),
    ("Export (`e`)", "EXPORT"),
    ("Check failures (`f`)", "CHECK_FAILURES"),
    ("Start a meeting (`m`)", "MEETING_START"),
    ("End the meeting (`m` while one runs)", "MEETING_END"),
    ("Minutes", "MINUTES"),
    ("Changes since the last meeting (`c`)", "CHANGES"),
    ("Contract versions (`v`)", "VERSIONS"),
    ("Import schema (`I`)", "IMPORT_SCHEMA"),
    ("Dismiss a finding (`x` on a table)", "DISMISS_FINDING"),
    ("Answer per table (`t` in review)", "TABLE_ANSWERS"),
    ("Help (F1)", "HELP"),
]
NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "f1": "F1",
    "tab": "Tab",
}


def key_name(key: str) -> str:
    if key in NAMES:
        return NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key_name(key[5:]).upper()
    return key


def render() -> str:
    import tui.keys as keys

    lines = [START]
    for title, name in GROUPS:
        rows: dict[str, list[str]] = {}
        for binding in getattr(keys, name):
            description = re.sub(r" \d$", " 1-9", binding.description)
            rows.setdefault(description, [])
            shown = "1-9" if description.endswith(" 1-9") else key_name(binding.key)
            if shown not in rows[description]:
                rows[description].append(shown)
        lines += ["", f"**{title}**", "", "| key | does |", "|---|---|"]
        lines += [
            f"| {' or '.join(f'`{key}`' for key in shown)} | {description.removesuffix(' 1-9')} |"
            for description, shown in rows.items()
        ]
    lines.append(END)
    return "\n".join(lines)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} ... {END} block", file=sys.stderr)
        return 1
    updated = text[: text.index(START)] + render() + text[text.index(END) + len(END) :]
    if "--check" in sys.argv:
        if updated != text:
            print("README.md's key tables are out of date: run python scripts/readme_keys.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
