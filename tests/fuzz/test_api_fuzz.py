"""Property-based fuzzing of the REST API against its own OpenAPI schema (Schemathesis).

Every operation of /api/schema/ is called with generated data, anonymously and as each kind
of user of the cast (an enterprise member, a park administrator, a government officer), and
every answer must be no server error and conform to the schema: a documented status code,
content type and body. The seed is fixed, so a run is repeatable.

``FUZZ_EXAMPLES`` sets the examples per operation and role: 10 by default (CI), 100 with
``make fuzz``. ``FUZZ_PHASES`` chooses Schemathesis' phases: CI runs the generated ("fuzzing")
cases only, to stay within minutes; ``make fuzz`` adds the schema's examples and the
deterministic "coverage" cases (boundaries, missing and wrong-typed values of each field).
"""

from __future__ import annotations

import json
import os

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("FUZZ_SEED", "20261126"))
PHASES = set(os.environ.get("FUZZ_PHASES", "fuzzing").split(","))
ROLES = ("anonymous", "member_a", "park_admin_a", "officer_a")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _openapi() -> dict:
    """The schema the portal serves at /api/schema/, generated without a request."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(_openapi())
schema.app = get_wsgi_application()
for _phase in ("examples", "coverage", "fuzzing"):
    schema.config.phases.get_by_name(name=_phase).enabled = _phase in PHASES


@pytest.fixture
def in_test_transaction():
    """The app is called through WSGI, not Django's test client: keep the request signals from
    closing the test's database connection (and with it its transaction), as that client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def quiet_throttles(settings):
    """The fuzzer sends far more requests per minute than a person; throttling has its own
    tests (tests/security/test_throttling.py)."""
    settings.THROTTLE_RATES = {}


@schema.parametrize()
@pytest.mark.parametrize("role", ROLES)
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
    database=None,
)
@hypothesis.seed(SEED)
def test_api_answers_as_its_schema_says(case, role, cast, quiet_throttles, in_test_transaction):
    headers = {}
    if role != "anonymous":
        token, _created = Token.objects.get_or_create(user=getattr(cast, role))
        headers["Authorization"] = f"Token {token.key}"

    case.call_and_validate(headers=headers, checks=CHECKS)
