"""What the apps' hand-written statements (`<app>/sql.py`) share: the model's database and
its values as the model's own fields would send them."""

from __future__ import annotations

from django.db import connections, router


def model_params(model, values: dict):
    """The connection `model` is written to, and `values` (field name -> Python value) in
    order, each prepared by its field as a save would prepare it: on SQLite a date-time becomes
    UTC text, which is then what a WHERE compares, exactly as the ORM's own queries do."""
    connection = connections[router.db_for_write(model)]
    params = [
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in values.items()
    ]
    return connection, params
