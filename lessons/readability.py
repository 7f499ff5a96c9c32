"""LIX, the Danish readability index (Björnsson 1968), used to keep the lessons plain.

LIX = words / sentences + 100 * long words / words, where a long word has more than six
letters and a sentence ends at a full stop, colon, question or exclamation mark. Below 30 is
very easy, 30-40 easy (children's and plain-language texts), 40-50 medium (newspapers).
The lessons aim at 40 or less (clinical.md "Patient education").
"""

import re

# A word: letters and digits, with inner hyphens or apostrophes ("to-trins", "low-Dye").
WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
SENTENCE_END = re.compile(r"[.:!?]+")
LONG = 6


def words(text: str) -> list[str]:
    return WORD.findall(text)


def lix(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    sentences = max(len(SENTENCE_END.findall(text)), 1)
    long_words = sum(1 for word in found if len(re.sub(r"[-']", "", word)) > LONG)
    return len(found) / sentences + 100 * long_words / len(found)
