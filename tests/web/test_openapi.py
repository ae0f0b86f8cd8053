"""The OpenAPI document is valid 3.1, covers every API route, and every response matches it."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from bot.domain import NewIncident, Source
from bot.web.context import WebContext
from bot.web.site import build
from tests.web.helpers import Client, reopen

# (path as requested, documented path, expected status)
CALLS = [
    ("/api/v1/status", "/api/v1/status", 200),
    ("/api/v1/assets/btc", "/api/v1/assets/{code}", 200),
    ("/api/v1/assets/PEPECASH", "/api/v1/assets/{code}", 200),
    ("/api/v1/assets/nope", "/api/v1/assets/{code}", 404),
    ("/api/v1/assets/Mona/history", "/api/v1/assets/{code}/history", 200),
    ("/api/v1/assets/MONA/history?limit=1", "/api/v1/assets/{code}/history", 200),
    ("/api/v1/assets/MONA/history?limit=0", "/api/v1/assets/{code}/history", 400),
    ("/api/v1/assets/nope/history", "/api/v1/assets/{code}/history", 404),
    ("/api/v1/orders", "/api/v1/orders", 200),
    ("/api/v1/incidents", "/api/v1/incidents", 200),
    ("/api/v1/incidents?limit=1", "/api/v1/incidents", 200),
    ("/api/v1/incidents?limit=0", "/api/v1/incidents", 400),
    ("/api/v1/incidents/1", "/api/v1/incidents/{id}", 200),
    ("/api/v1/incidents/2", "/api/v1/incidents/{id}", 200),
    ("/api/v1/incidents/99", "/api/v1/incidents/{id}", 404),
    ("/api/v1/maintenances", "/api/v1/maintenances", 200),
    ("/api/v1/openapi.json", "/api/v1/openapi.json", 200),
]


def response_validator(document: dict[str, Any], path: str, status: int) -> Draft202012Validator:
    """A validator for one documented response, resolving $refs within the document."""
    operation = document["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    rooted = {**schema, "components": document["components"]}
    return Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)


async def fetch_document(client: Client) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    document: dict[str, Any] = await response.json()
    return document


async def test_document_is_valid_openapi_31(client: Client) -> None:
    document = await fetch_document(client)
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on any fault


async def test_every_api_route_is_documented(client: Client, context: WebContext) -> None:
    document = await fetch_document(client)
    served = {
        route.resource.canonical
        for route in build(context).router.routes()
        if route.resource is not None and route.resource.canonical.startswith("/api/")
    }
    assert served == set(document["paths"])


@pytest.mark.parametrize(("url", "documented", "status"), CALLS)
async def test_responses_match_the_document(
    client: Client, context: WebContext, url: str, documented: str, status: int
) -> None:
    await context.status.change(reopen("MONA", note="reopened"))
    await context.incidents.open(
        NewIncident(title_ja="MONA入金の遅延", message_ja="遅れています。", assets=("MONA",)),
        actor="ops",
        source=Source.CLI,
    )
    document = await fetch_document(client)
    response = await client.get(url)
    assert response.status == status
    body = await response.json()
    errors = list(response_validator(document, documented, status).iter_errors(body))
    assert not errors, [e.message for e in errors]


async def test_the_validation_would_catch_a_wrong_body(client: Client) -> None:
    document = await fetch_document(client)
    body = await (await client.get("/api/v1/assets/BTC")).json()
    body["deposit"]["state"] = "closed"
    del body["withdrawal"]
    validator = response_validator(document, "/api/v1/assets/{code}", 200)
    messages = [e.message for e in validator.iter_errors(body)]
    assert any("withdrawal" in m for m in messages)
    assert not validator.is_valid(body)


async def test_every_operation_documents_revalidation(client: Client) -> None:
    document = await fetch_document(client)
    reads = {path: item["get"] for path, item in document["paths"].items() if "get" in item}
    assert len(reads) >= 8
    for path, operation in reads.items():
        assert "304" in operation["responses"], path
        assert "ETag" in operation["responses"]["200"]["headers"], path
        assert "If-None-Match" in [p["name"] for p in operation["parameters"]], path
