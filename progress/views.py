from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPhysio

from .patients import patient_rows
from .serializers import PatientRowSerializer


class PatientListView(APIView):
    permission_classes = [IsPhysio]

    @extend_schema(responses=PatientRowSerializer(many=True))
    def get(self, request):
        return Response(PatientRowSerializer(patient_rows(request.user), many=True).data)
