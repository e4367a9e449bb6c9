"""Whether a ``.txt`` file is a table: Excel saves "Text (Tab delimited)" and "Unicode Text" under that name.

The registry asks this before it gives a ``.txt`` to the text processor, from the first bytes only, so it
stays cheap for a folder of notes: no pyarrow, no charset detection. A table here is lines split by tabs into
the same number of fields (two or more), most of them starting with a value. Prose indented with tabs starts
its lines with one; a text with the odd tab has lines without any.
"""

from __future__ import annotations

import codecs
from collections import Counter

_MIN_LINES = 3
_SAME_SHARE = 0.9  # of the lines: this many have the most common number of tabs
_FILLED_SHARE = 0.8  # of those: this many have a first field and a second filled one


def _decode(head: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                          (codecs.BOM_UTF8, "utf-8")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="replace")
    if head[1:200:2].count(0) > 50:  # UTF-16 without its mark: every other byte is zero
        return head.decode("utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def is_tab_table(head: bytes) -> bool:
    """Whether the first bytes of a file read as a tab-separated table."""
    lines = [line for line in _decode(head).splitlines() if line.strip()]
    if len(lines) > _MIN_LINES:
        lines = lines[:-1]  # the head may end inside the last line
    if len(lines) < _MIN_LINES:
        return False
    tabs, same = Counter(line.count("\t") for line in lines).most_common(1)[0]
    if tabs == 0 or same < _SAME_SHARE * len(lines):
        return False
    rows = [line.split("\t") for line in lines if line.count("\t") == tabs]
    filled = sum(1 for fields in rows if fields[0].strip() and sum(1 for f in fields if f.strip()) >= 2)
    return filled >= _FILLED_SHARE * len(rows)
