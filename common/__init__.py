"""The ground floor: helpers every app may use, and that know no app.

Here live the pieces the apps share and that belong to none of them: the API's error answers
and OpenAPI error schema (`api`), the request parsers and pagination DRF is configured with
(`parsers`, `pagination`), serializer fields used by several apps (`fields`), and what
the apps' hand-written statements share (`sql`).

Nothing in this package imports an app (accounts, diary, exercises, ...) or defines a model,
so any app can import from it without a cycle; `haelapp/` holds only the project's wiring.
"""
