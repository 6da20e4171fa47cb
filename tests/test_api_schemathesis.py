"""Schemathesis against the API's own schema (issue 11 §3): generated requests to every operation,
valid and invalid, find no server error, and every answer fits what the schema documents.

In process and on the test database: the schema is loaded from the WSGI application
(``schemathesis.openapi.from_wsgi``) and every case is sent to it (``case.call``), with the token
of the world's province officer of Lạng Sơn (``conftest.world``). The ids in paths are drawn from
the world's people, units and posts (in and out of the officer's scope) as well as generated, so
that the operations are reached beyond their 404. Each case's writes are rolled back.

Bounded: :data:`EXAMPLES` cases per operation and generation mode (Hypothesis, derandomised: the
same cases every run), about a minute in all. ``CANBO_SCHEMATHESIS_EXAMPLES`` raises it for a
longer hunt.
"""

from __future__ import annotations

import os
from datetime import date

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("CANBO_SCHEMATHESIS_EXAMPLES", "20"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, called in this thread (so on the test's database connection).
    As Django's test client does, the connection is not closed at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_server_error_anywhere(world, wsgi_app, settings, tmp_path):
    from django.core.files.base import ContentFile

    from canbo.access import tokens
    from canbo.jobs.models import Job
    from canbo.registry.models import Assignment, Person
    from canbo.registry.services import post_version
    from canbo.web.views.person import editable_fields, make_token

    settings.MEDIA_ROOT = tmp_path / "media"
    # A finished report of the officer's, so that the job operations are reached beyond their 404.
    job = Job.objects.create(
        kind="report",
        user=world.users["province"],
        unit=world.units.p20,
        params={"report": "quality", "on": "2025-12-31", "format": "pdf"},
        status="done",
        result_name="bao-cao.pdf",
    )
    job.result_file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 thu"), save=True)
    # A draft training plan of the province's, so that the plan operations are reached too.
    from canbo.training.models import TrainingPlan

    plan = TrainingPlan.objects.create(
        unit=world.units.dongdang, planned_on=date(2026, 1, 1), start_year=2026, years=5
    )
    token = tokens.create(world.users["province"], "schemathesis")[1]
    auth = {"Authorization": f"Bearer {token}"}
    ids = {
        "person_id": [p.pk for p in world.people.values()],
        "unit_id": [
            getattr(world.units, k).pk for k in ("dongdang", "baolam", "caoloc", "p20", "hn_commune")
        ],
        "post_id": list(Assignment.objects.values_list("pk", flat=True)),
        "job_id": [job.pk],
        "plan_id": [plan.pk],
    }
    units = list(world.units.__dict__.values())
    communes = [u.pk for u in units if u.level == "commune_level"]
    title_codes = list(world.titles)

    def body_values(case) -> dict[str, list]:
        """Values of the world for the fields of a body: units, titles, and the current version
        of the person or post the path names (so a change may get past the version check)."""
        out: dict[str, list] = {
            "managing_unit": [u.pk for u in units],
            "unit": communes,
            "title": title_codes,
        }
        path = case.path_parameters or {}
        post_id, person_id = path.get("post_id"), path.get("person_id")
        if isinstance(post_id, int) and 0 < post_id < 2**31:
            out["version"] = [post_version(post_id), 0]
        elif isinstance(person_id, int) and 0 < person_id < 2**31:
            person = Person.objects.filter(pk=person_id).first()
            if person is not None:
                out["version"] = [make_token(person, editable_fields(world.users["province"]))]
        return out

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(hypothesis.HealthCheck),
                phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
            )
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode), data=st.data())
            def run(case, data):
                for name in list(case.path_parameters or {}):
                    if name in ids and data.draw(st.booleans(), label=f"world {name}"):
                        case.path_parameters[name] = data.draw(st.sampled_from(ids[name]), label=name)
                if isinstance(case.body, dict):
                    # Values of the world in bodies too, so that writes get past "no such unit".
                    for name, choices in body_values(case).items():
                        if name in case.body and data.draw(st.booleans(), label=f"world {name}"):
                            case.body[name] = data.draw(st.sampled_from(choices), label=name)
                with transaction.atomic():
                    response = case.call(headers=auth)
                    transaction.set_rollback(True)
                case.validate_response(response, checks=CHECKS)
                statuses.setdefault(case.operation.label, set()).add(response.status_code)

            try:
                run()
            except Exception as e:  # noqa: BLE001 - every operation's failure is reported together
                failures.append(f"{operation.label} ({mode.value}): {e}")
    assert not failures, "\n\n".join(failures)
    # The cases got past the refusals: every reading operation answered with its data at least once.
    unreached = [label for label, seen in statuses.items() if label.startswith("GET") and 200 not in seen]
    assert not unreached, f"never answered 200: {unreached} ({statuses})"
