"""The episode API (api.md, "Added for the second round"). Thin: rules in services/selectors.

The physio's endpoints find the patient through accounts.access (another's patient: 404) and
the episode among that patient's (another patient's episode: 404). Their reads go to the
patient's access log here; their writes are logged by the services."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import EPISODE, access_record
from accounts.permissions import IsPatient, IsPhysio
from common.api import NoStoreMixin

from . import serializers as s
from .models import Episode
from .selectors import current_episode, episodes_of
from .services import episode_close, episode_heels_set, episode_open, episode_review_record


def _episode_data(episode: Episode, patient) -> dict:
    context = {"today": patient.user.local_today()}
    return s.EpisodeSerializer(episode, context=context).data


def _visible_episode(request, patient_id, episode_id) -> Episode:
    patient = get_visible_patient(request.user, patient_id)
    return get_object_or_404(
        Episode.objects.select_related("patient__user", "physio__user"),
        pk=episode_id,
        patient=patient,
    )


class CurrentEpisodeView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        responses=s.EpisodeSerializer,
        description="The patient's current episode of care: the open one, else the latest "
        "closed one; 404 before the first.",
    )
    def get(self, request):
        patient = request.user.patient_profile
        episode = current_episode(patient)
        if episode is None:
            raise Http404
        return Response(_episode_data(episode, patient))


class PatientEpisodesView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(responses=s.EpisodeSerializer(many=True), description="Newest first.")
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        episodes = list(episodes_of(patient))
        access_record(actor=request.user, patients=patient, what=EPISODE)
        context = {"today": patient.user.local_today()}
        return Response(s.EpisodeSerializer(episodes, many=True, context=context).data)

    @extend_schema(
        request=s.EpisodeOpenSerializer,
        responses={201: s.EpisodeSerializer},
        description="Open a new episode. 400 while one is open, and without a reason when the "
        "patient has had one before.",
    )
    def post(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        data = s.EpisodeOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = episode_open(actor=request.user, patient=patient, **data.validated_data)
        return Response(_episode_data(episode, patient), status=status.HTTP_201_CREATED)


class PatientEpisodeView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        request=s.EpisodeHeelsSerializer,
        responses=s.EpisodeSerializer,
        description="Set the heel(s) the episode is about (episodes opened before heels were "
        "asked show [] until set).",
    )
    def patch(self, request, patient_id, episode_id):
        episode = _visible_episode(request, patient_id, episode_id)
        data = s.EpisodeHeelsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode_heels_set(actor=request.user, episode=episode, heels=data.validated_data["heels"])
        return Response(_episode_data(episode, episode.patient))


class EpisodeReviewsView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        request=s.EpisodeReviewInputSerializer,
        responses={201: s.ReviewSerializer},
        description="Record the week-6 review, or what came of the week-12 advice; it ends "
        "that advice. Once per episode and kind, on an open episode.",
    )
    def post(self, request, patient_id, episode_id):
        episode = _visible_episode(request, patient_id, episode_id)
        data = s.EpisodeReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = episode_review_record(actor=request.user, episode=episode, **data.validated_data)
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class EpisodeCloseView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        request=s.EpisodeCloseSerializer,
        responses=s.EpisodeSerializer,
        description="Close the episode with an outcome. 400 if already closed.",
    )
    def post(self, request, patient_id, episode_id):
        episode = _visible_episode(request, patient_id, episode_id)
        data = s.EpisodeCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode_close(actor=request.user, episode=episode, **data.validated_data)
        return Response(_episode_data(episode, episode.patient))
