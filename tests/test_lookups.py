"""The `any` lookup: one array parameter on PostgreSQL, an ordinary IN elsewhere."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User

from .factories import UserFactory


def test_any_matches_like_in(db):
    users = [UserFactory() for _ in range(5)]
    wanted = [users[0].pk, users[3].pk, 10**9]
    with CaptureQueriesContext(connection) as ctx:
        found = set(User.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == {users[0].pk, users[3].pk}
    sql = ctx.captured_queries[0]["sql"]
    assert ("ANY" in sql) == (connection.vendor == "postgresql")


def test_any_with_an_empty_list_matches_nothing(db):
    UserFactory()
    assert not User.objects.filter(pk__any=[]).exists()


def test_any_on_a_foreign_key(patient):
    from accounts.models import PatientProfile

    assert list(PatientProfile.objects.filter(user_id__any=[patient.user_id])) == [patient]
