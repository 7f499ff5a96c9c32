import cProfile, pstats, io, time
from datetime import timedelta
from django.utils import timezone


def test_prof(client_for, patient, assign):
    from diary.models import DiaryEntry
    assign(patient, starts_on=patient.user.local_today() - timedelta(days=34))
    today = patient.user.local_today()
    DiaryEntry.objects.bulk_create(DiaryEntry(patient=patient, date=today - timedelta(days=d), morning_pain=3 + d % 4, recorded_at=timezone.now()) for d in range(1, 35))
    client = client_for(patient.user)
    client.get("/")
    reqs = [("get", "/", {}), ("get", "/api/v1/progress/", {}), ("get", "/progress/", {}), ("get", "/api/v1/programme/", {})]
    for method, url, kw in reqs:
        for _ in range(10):
            r = getattr(client, method)(url, **kw)
        t = time.process_time()
        for _ in range(40):
            r = getattr(client, method)(url, **kw)
        plain = (time.process_time() - t) * 1000 / 40
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(40):
            r = getattr(client, method)(url, **kw)
        pr.disable()
        s = io.StringIO()
        st = pstats.Stats(pr, stream=s)
        st.sort_stats("cumulative").print_stats(r"/work/main/(?!\.venv)", 40)
        print(f"\n######## {method} {url} {r.status_code} plain {plain:.2f} ms/request")
        print(s.getvalue()[:9000])
