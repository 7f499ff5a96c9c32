import re


def test_openapi_schema_describes_the_auth_endpoints(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/me/",
        "/api/v1/invitations/",
    ]:
        assert path in paths


def test_docs_load_nothing_from_other_origins(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page.text)
    assert external == []
