"""Column names that every Parquet reader accepts: non-empty and unique."""

from __future__ import annotations


def unique_names(raw: list[str]) -> tuple[list[str], list[str]]:
    """Names made unique (``name``, ``name_2`` …; empty → ``column_N``) and one warning per change."""
    out: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(raw):
        name = (value or "").strip()
        base = name or f"column_{i + 1}"
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}_{n}"
        if not name:
            warnings.append(f"column {i + 1} has no name; it is called '{candidate}'")
        elif candidate != name:
            warnings.append(f"column {i + 1} repeats the name '{name}'; it is called '{candidate}'")
        seen.add(candidate)
        out.append(candidate)
    return out, warnings
