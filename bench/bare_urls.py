"""The app's URLs plus a bare DRF view to compare the diary PUT against.

Mounted only by the diary benchmark (`ROOT_URLCONF=bench.bare_urls`). The bare view goes
through the same stack as the app's diary PUT (middleware, the default token and session
authentication, a serializer, a JSON response) but does the least a write can: it validates
`morning_pain` and inserts one row into `bench_bare`, a table the benchmark creates with
plain SQL (no migration). The difference between the two is what the app's own code costs.
"""

from datetime import date

from django.db import connection
from django.urls import include, path
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_bare (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL,
    day date NOT NULL,
    morning_pain smallint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""


class BareInputSerializer(serializers.Serializer):
    morning_pain = serializers.IntegerField(min_value=0, max_value=10)


class BareDiaryView(APIView):
    """Authentication and permission classes are the project's defaults (token, session;
    authenticated), exactly as the app's views get them."""

    def put(self, request, day):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise ValidationError({"date": ["Use the format YYYY-MM-DD."]}) from None
        data = BareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pain = data.validated_data["morning_pain"]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare (user_id, day, morning_pain) VALUES (%s, %s, %s)",
                [request.user.pk, day, pain],
            )
        return Response(
            {"date": day.isoformat(), "morning_pain": pain}, status=status.HTTP_201_CREATED
        )


urlpatterns = [
    path("bench/bare/<str:day>/", BareDiaryView.as_view(), name="bench-bare"),
    path("", include("haelapp.urls")),
]
