"""Just enough PDF reading for tests: the page count, from the page tree, even when WeasyPrint
packs objects into compressed object streams."""

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
# A dictionary without nested dictionaries that says /Type /Pages (outlines have a /Count too).
PAGES_DICT = re.compile(rb"<<(?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*?>>", re.S)
COUNT = re.compile(rb"/Count\s+(\d+)")


def objects_text(pdf: bytes) -> bytes:
    """The file with every Flate-compressed stream inflated next to it."""
    parts = [pdf]
    for match in STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_count(pdf: bytes) -> int:
    """The /Count of the root page tree: the largest /Count of any /Pages node."""
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-64:]:
        raise ValueError("not a complete PDF file")
    counts = [
        int(count.group(1))
        for node in PAGES_DICT.finditer(objects_text(pdf))
        if (count := COUNT.search(node.group(0)))
    ]
    if not counts:
        raise ValueError("no page tree found")
    return max(counts)
