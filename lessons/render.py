"""A lesson body (lessons.content: paragraphs and bullet lists) as HTML and as plain text.

Every string is escaped first; the one inline markup, [text](/path/), becomes a link only
when the path is inside the app (starts with a single "/"), so a body cannot carry markup or
send the patient elsewhere.
"""

import re

from django.utils.html import escape

LINK = re.compile(r"\[([^\]]+)\]\((/[^/\s)][^\s)]*)\)")


def _inline(text: str) -> str:
    return LINK.sub(r'<a href="\2">\1</a>', escape(text))


def body_html(blocks: list) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(f"<p>{_inline(block)}</p>")
        else:
            items = "".join(f"<li>{_inline(item)}</li>" for item in block)
            parts.append(f"<ul>{items}</ul>")
    return "\n".join(parts)


def _sentence(text: str) -> str:
    text = LINK.sub(r"\1", text).strip()
    return text if text.endswith((".", ":", "!", "?")) else text + "."


def body_text(blocks: list) -> str:
    """The words a reader reads; each bullet counts as a sentence of its own (for LIX)."""
    parts = []
    for block in blocks:
        parts.extend([block] if isinstance(block, str) else block)
    return " ".join(_sentence(part) for part in parts)
