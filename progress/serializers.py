from rest_framework import serializers


class PatientRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    condition = serializers.CharField()
    week = serializers.IntegerField(allow_null=True)
    adherence_14d = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, coerce_to_string=False
    )
