"""The lessons API's shapes (api.md, second round)."""

from rest_framework import serializers


class LessonListItemSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    minutes = serializers.IntegerField()
    unlocked = serializers.BooleanField()
    read = serializers.BooleanField()
    pinned = serializers.BooleanField()


class LessonSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    body_html = serializers.CharField(help_text="The text as HTML (paragraphs, lists, links).")
    sources = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class PatientLessonSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    unlock_week = serializers.IntegerField()
    unlocked = serializers.BooleanField()
    read = serializers.BooleanField()
    read_at = serializers.DateTimeField(allow_null=True)
    pinned = serializers.BooleanField()


class PinSerializer(serializers.Serializer):
    slug = serializers.CharField()
    pinned = serializers.BooleanField()


def list_item_data(state) -> dict:
    return {
        "slug": state.lesson.slug,
        "title": state.lesson.title,
        "minutes": state.lesson.minutes,
        "unlocked": state.unlocked,
        "read": state.read,
        "pinned": state.pinned,
    }


def lesson_data(lesson) -> dict:
    return {
        "slug": lesson.slug,
        "title": lesson.title,
        "body_html": lesson.body_html,
        "sources": list(lesson.sources),
        "version": lesson.version,
    }


def patient_lesson_data(state) -> dict:
    return {
        "slug": state.lesson.slug,
        "title": state.lesson.title,
        "unlock_week": state.lesson.unlock_week,
        "unlocked": state.unlocked,
        "read": state.read,
        "read_at": serializers.DateTimeField().to_representation(state.read_at)
        if state.read_at
        else None,
        "pinned": state.pinned,
    }
