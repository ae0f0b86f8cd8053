"""Small pieces the OpenAPI document is written with: enums, nullable values, references, bodies."""

from __future__ import annotations

from typing import Any


def enum_of(values: Any, description: str) -> dict[str, Any]:
    return {"type": "string", "enum": [v.value for v in values], "description": description}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}
