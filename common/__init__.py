"""The ground floor: helpers every app may use, and that know no app.

Here live the pieces the apps share and that belong to none of them: the API's error answers
and OpenAPI error schema (`api`), the request parsers and pagination DRF is configured with
(`parsers`, `pagination`), serializer fields used by several apps (`fields`), what the
apps' hand-written statements share (`sql`), and the site-wide HTTP pieces that belong to no
app: the security headers (`middleware`), the 500 handler that answers an unreachable
database with 503 (`errors`) and the `/healthz` probe (`health`).

Nothing in this package imports an app (accounts, diary, exercises, ...) or defines a model,
so any app can import from it without a cycle; `haelapp/` holds only the project's wiring
(settings, URLs, the Celery app, WSGI/ASGI).
"""
