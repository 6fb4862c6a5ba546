"""Rebuild metacluster/data/nace_rev2.csv from scripts/nace_classes.txt.

NACE Rev. 2 (Regulation (EC) No 1893/2006, Annex I; Eurostat) has 21 sections (A-U), 88
divisions, 272 groups and 615 classes. The class list is kept compactly in
scripts/nace_classes.txt; groups and divisions follow from the classes, sections from the
division ranges of the regulation. Run: python scripts/build_nace.py
"""

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [  # (section, first division, last division)
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
]  # fmt: skip


def section_of(division: str) -> str:
    number = int(division)
    return next(letter for letter, first, last in SECTIONS if first <= number <= last)


def rows():
    for letter, _first, _last in SECTIONS:
        yield letter, "section", letter
    for line in (ROOT / "scripts" / "nace_classes.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        division, suffixes = line.split(":")
        section = section_of(division)
        yield division, "division", section
        groups = []
        for suffix in suffixes.split():
            group = f"{division}.{suffix[0]}"
            if group not in groups:
                groups.append(group)
                yield group, "group", section
            yield f"{division}.{suffix}", "class", section


def main() -> None:
    target = ROOT / "metacluster" / "data" / "nace_rev2.csv"
    with target.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["code", "level", "section"])
        writer.writerows(sorted(rows(), key=lambda row: (row[1] != "section", row[0])))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
