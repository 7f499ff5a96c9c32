"""Store lessons.content in the Lesson table: idempotent, and a version bump updates the row.

Used by the data migration (with historical models) and by `manage.py lessons_sync`, so a
deployment that changes a lesson's text and version picks it up on either.
"""

import math

from . import content
from .readability import words
from .render import body_html, body_text

# A slow, careful reader; a lesson of at most 250 words is then under two minutes.
WORDS_PER_MINUTE = 130


def reading_minutes(lesson: dict) -> int:
    longest = max(
        len(words(lesson[lang]["title"] + " " + body_text(lesson[lang]["body"])))
        for lang in ("da", "en")
    )
    return max(1, math.ceil(longest / WORDS_PER_MINUTE))


def lesson_fields(lesson: dict, order: int) -> dict:
    return {
        "order": order,
        "unlock_week": lesson["unlock_week"],
        "version": lesson["version"],
        "minutes": reading_minutes(lesson),
        "title_da": lesson["da"]["title"],
        "title_en": lesson["en"]["title"],
        "body_da": body_html(lesson["da"]["body"]),
        "body_en": body_html(lesson["en"]["body"]),
        "sources": [content.SOURCES[key] for key in lesson["sources"]],
    }


def lessons_load(Lesson) -> dict[str, int]:
    """Create missing lessons and update those whose version differs. `Lesson` is the model
    (historical in a migration). Returns counts of created, updated and unchanged rows."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    stored = {row.slug: row for row in Lesson.objects.all()}
    # `order` is unique: move stored rows out of the way first, so a reordering cannot collide.
    changed = [
        (position, lesson)
        for position, lesson in enumerate(content.LESSONS, start=1)
        if lesson["slug"] not in stored
        or stored[lesson["slug"]].version != lesson["version"]
        or stored[lesson["slug"]].order != position
    ]
    for _position, lesson in changed:
        row = stored.get(lesson["slug"])
        if row is not None:
            Lesson.objects.filter(pk=row.pk).update(order=10000 + row.pk)
    for position, lesson in changed:
        fields = lesson_fields(lesson, position)
        row = stored.get(lesson["slug"])
        if row is None:
            Lesson.objects.create(slug=lesson["slug"], **fields)
            counts["created"] += 1
        else:
            Lesson.objects.filter(pk=row.pk).update(**fields)
            counts["updated"] += 1
    counts["unchanged"] = len(content.LESSONS) - len(changed)
    return counts
