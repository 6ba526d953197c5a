"""Schemathesis against /api/v1/openapi.json, as a viewer and as a technician: generated
requests, valid and not, to every operation; no answer may be a server error, or break the
schema the document gives for its status code."""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from inventory.services import users

from ..factories import NOW, Reference, make_asset


@pytest.mark.parametrize("role", ["viewer", "technician"])
def test_the_api_keeps_to_its_description(
    role: str, app: Flask, session: Session, ref: Reference
) -> None:
    for i in range(3):
        make_asset(session, ref, serial=f"ST-{i}", holder="Anna" if i else None)
    user = getattr(ref, role)
    headers = {"Authorization": f"Bearer {users.create_token(session, email=user.email, now=NOW)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=headers)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def keeps_to_it(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers=headers,
                checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                        response_schema_conformance],
            )  # fmt: skip

        keeps_to_it()
        checked += 1
    assert checked >= 20
