"""The write rule shared by everything a patient logs from a phone that may be offline."""

from datetime import datetime

from django.db import transaction
from django.db.models import Model


def upsert_latest_wins(
    model: type[Model], *, key: dict, values: dict, recorded_at: datetime
) -> tuple[Model, bool]:
    """Create the row for `key`, or update it if this write was recorded later than the
    stored one. Replays change nothing, arrival order does not matter (an offline phone may
    send an older edit last), and the unique key plus the row lock make concurrent writes end
    in one row. Returns (row, created)."""
    with transaction.atomic():
        row, created = model.objects.select_for_update().get_or_create(
            **key, defaults={**values, "recorded_at": recorded_at}
        )
        if not created and recorded_at > row.recorded_at:
            for field, value in values.items():
                setattr(row, field, value)
            row.recorded_at = recorded_at
            row.save(update_fields=[*values, "recorded_at", "updated_at"])
    return row, created
