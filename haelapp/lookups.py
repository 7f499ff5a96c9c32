"""`field__any=[...]`: membership in a long list as ONE parameter on PostgreSQL.

`field__in=ids` with thousands of ids makes thousands of query parameters, and building and
sending them costs more than running the query (the reminder tick does this in batches of
2,000). On PostgreSQL this sends `field = ANY(%s)` with the list as a single array; other
databases fall back to an ordinary IN.
"""

from django.db.models import Field, ForeignObject, Lookup


@Field.register_lookup
@ForeignObject.register_lookup
class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(v, connection) for v in self.rhs]
        if not values:
            return "1 = 0", []
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(v, connection) for v in self.rhs]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
