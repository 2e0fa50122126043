"""Fuzzing: the BPMN loaders with hypothesis, the API's write operations with
schemathesis-generated requests carrying hostile values. Bounded budgets, derandomised."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.api.conftest import ADMIN_TOKEN, deploy_sample
from tests.helpers.people import CITIZEN_ID
from toantrinh.engine.parsing import ModelError, parse_model, read_xml

ROOT = Path(__file__).resolve().parents[2]
VALID = (ROOT / "process_models" / "ly-lich-tu-phap" / "ly-lich-tu-phap.bpmn").read_bytes()
SMALL = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="t" name="T"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="g" default="f3"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="e"><bpmn:incoming>f3</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e"/>
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="e"><bpmn:conditionExpression>x &gt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>
"""
SPLICES = [
    b"<!DOCTYPE d [<!ENTITY x 'y'>]>",
    b"&x;",
    b"<bpmn:script>import os</bpmn:script>",
    b"\x00",
    b"\xff\xfe",
    b"<![CDATA[",
    b"]]>",
    b"<",
    b">",
    b"'",
    b'"',
    b"</bpmn:process>",
    b'<bpmn:process id="p">',
    b"__import__('os')",
    b"<?xml version='1.0'?>",
    b'xmlns:bpmn=""',
]


@st.composite
def mutated(draw, base: bytes):
    """A valid model with a few byte-level edits: deletions, duplications, splices."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "splice", "duplicate", "flip"]))
        if kind == "delete":
            del data[i : i + draw(st.integers(1, 200))]
        elif kind == "splice":
            data[i:i] = draw(st.sampled_from(SPLICES))
        elif kind == "duplicate":
            data[i:i] = data[i : i + draw(st.integers(1, 400))]
        elif data:
            j = min(i, len(data) - 1)
            data[j] = draw(st.integers(0, 255))
    return bytes(data)


LOADER_INPUTS = st.one_of(
    st.binary(max_size=2_000),
    mutated(SMALL),
    mutated(VALID),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
)
FUZZ = settings(
    max_examples=500,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _bounded(call, data: bytes) -> None:
    started = time.monotonic()
    call(data)
    assert time.monotonic() - started < 5, f"{len(data)} bytes took too long"


@FUZZ
@given(data=LOADER_INPUTS)
def test_engine_loader_raises_only_model_error(data):
    for call in (read_xml, parse_model):
        try:
            _bounded(call, data)
        except ModelError as err:
            assert err.problems and all(isinstance(p, str) and p for p in err.problems)


@FUZZ
@given(data=LOADER_INPUTS)
def test_simplifier_loader_raises_only_model_load_error(data):
    load_module = pytest.importorskip("toantrinh.simplifier.load")
    with contextlib.suppress(load_module.ModelLoadError):
        _bounded(load_module.load, data)


# ------------------------------------------------------------------ API, hostile values
HOSTILE_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u202e",
        "\ud7ff",
        "A" * 70_000,
        "Nguye\u0302\u0303n",
        "'; DROP TABLE dossier; --",
        "{{7*7}}",
        "${jndi:ldap://127.0.0.1:9/a}",
        "../../../../etc/passwd",
        "<script>alert(1)</script>",
        "__class__",
        "%s%s%s%n",
        "\ufeff",
        "1e309",
        "-0",
        "NaN",
    ]
)
HOSTILE_VALUES = st.recursive(
    st.one_of(
        HOSTILE_STRINGS,
        st.integers(min_value=-(2**70), max_value=2**70),
        st.none(),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(HOSTILE_STRINGS, children, max_size=4)
    ),
    max_leaves=12,
)


def _hostile_body(body, draw_value):
    if isinstance(body, dict) and body:
        key = sorted(body)[0]
        return {**body, key: draw_value}
    return draw_value


def _fuzz_operation(
    operation, base_url: str, headers: dict, failures: list[str], seen: Counter
) -> None:
    @given(
        case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE), value=HOSTILE_VALUES
    )
    @settings(
        max_examples=6,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, value):
        if case.media_type and "json" in case.media_type:
            case.body = _hostile_body(case.body, value)
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        seen[response.status_code // 100] += 1
        content_type = (response.headers.get("content-type") or [""])[0]
        if response.status_code >= 500:
            failures.append(f"{operation.label}: {response.status_code} {response.text[:200]}")
        elif response.status_code >= 400 and not content_type.startswith(
            "application/problem+json"
        ):
            failures.append(
                f"{operation.label}: {response.status_code} not problem+json ({content_type})"
            )

    with contextlib.suppress(Unsatisfiable):
        run()


def test_write_operations_survive_hostile_values(live):
    admin = live.api(ADMIN_TOKEN)
    assert deploy_sample(admin).status_code == 201
    assert (
        admin.post(
            "/api/v1/dossiers", json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}
        ).status_code
        == 201
    )
    schema = schemathesis.openapi.from_url(f"{live.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    failures: list[str] = []
    seen: Counter = Counter()
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        # writes only; POST /webhooks would make the server call a generated host
        if operation.method.upper() not in (
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
        ) or operation.path.endswith("/webhooks"):
            continue
        tested += 1
        _fuzz_operation(operation, live.url, headers, failures, seen)
    assert tested >= 10 and sum(seen.values()) >= 3 * tested, seen
    assert seen[4] > 0  # hostile values were refused somewhere, so they did reach the server
    assert admin.get("/api/v1/models").status_code == 200
    assert not failures, "\n".join(sorted(set(failures))[:40])
