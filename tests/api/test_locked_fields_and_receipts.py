"""Submissions that change a locked pre-filled field are refused naming it; linked
dossiers carry their procedure's receipt prefix; kept documents expire by their type
(issue 27 item 18)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tests.api.conftest import ADMIN_TOKEN, LLTP, deploy_sample
from tests.helpers.bpmn import TEST_FORMS, message_start_process, sender_process
from tests.helpers.people import (
    CITIZEN_ID,
    POPULATION,
    local_connectors,
    ltp_declaration,
    reengineered_ltp_forms,
)
from toantrinh.engine import clock
from toantrinh.engine.commands.receipt_codes import receipt_prefix
from toantrinh.engine.document_validity import default_until, table
from toantrinh.engine.persistence import Dossier
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import find_valid

ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def test_a_changed_prefilled_field_is_a_422_naming_it(live, tokens):
    api = live.api(tokens["citizen"])
    # the declaration as re-engineered on VNeID: what the population database holds is
    # pre-filled and locked
    deployed = deploy_sample(live.api(ADMIN_TOKEN), forms=reengineered_ltp_forms())
    assert deployed.status_code == 201, deployed.text
    dossier = api.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    (task,) = api.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()
    prefill = task["prefill"]
    typed = {k: v for k, v in ltp_declaration().items() if k not in prefill}
    assert prefill["full_name"] == POPULATION[CITIZEN_ID]["full_name"]

    forged = api.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={
            "data": {
                **typed,
                **prefill,
                "full_name": "Nguyễn Văn Bê",
                "date_of_birth": "1991-01-01",
            }
        },
    )
    assert forged.status_code == 422, forged.text
    assert [e["field"] for e in forged.json()["errors"]] == ["date_of_birth", "full_name"]
    assert "population" in forged.json()["errors"][1]["message"]
    # nothing changed: the task is still there, and the same values sent back are fine
    assert [t["id"] for t in api.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()] == [
        task["id"]
    ]
    done = api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {**typed, **prefill}})
    assert done.status_code == 200, done.text
    assert done.json()["data"]["full_name"] == POPULATION[CITIZEN_ID]["full_name"]


def test_a_dossier_started_by_a_linked_procedure_s_message_has_its_procedure_s_prefix(session):
    engine = Engine(session)
    engine.deploy(sender_process("cap_the_bhyt"), forms=TEST_FORMS)
    engine.deploy(
        message_start_process("cap_the_bhyt"),
        forms=TEST_FORMS,
        procedure={
            "slug": "lien-thong-bhyt-tre-em",
            "code": None,
            "name": {"vi": "Liên thông: cấp thẻ BHYT cho trẻ em dưới 6 tuổi"},
        },
    )
    sender = engine.start("sender", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(sender.id)
    engine.complete_task(sender.id, task["id"], {"result": "Đã đăng ký khai sinh"})
    assert engine.route_messages() == 1
    (started,) = [d for d in session.scalars(select(Dossier)) if d.id != sender.id]
    assert started.receipt_code.startswith("LTBTE-"), started.receipt_code
    assert sender.receipt_code.startswith("SENDER-")  # no card: the process id, not HS


def test_the_library_s_linked_procedures_each_have_their_own_prefix(session):
    engine = Engine(session, connectors=local_connectors())
    prefixes = {}
    for folder in sorted((ROOT / "process_models").glob("lien-thong-*")):
        result = engine.deploy_folder(folder)
        model = result.version.model
        prefixes[model.slug] = receipt_prefix(model.procedure, model.code, model.slug)
    assert "HS" not in prefixes.values()
    assert len(set(prefixes.values())) == len(prefixes), prefixes


def test_a_kept_portrait_photo_expires_after_six_months(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(ROOT / "process_models" / "cap-ho-chieu-pho-thong")
    dossier = engine.start("cap-ho-chieu-pho-thong", applicant_id=CITIZEN_ID)
    photo = engine.attach(
        dossier.id, b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, component="portrait_photos"
    )
    kept, _ = engine.keep_attachment(dossier.id, photo.code, actor="officer:Lê")
    assert kept.document_type == "photo" and kept.valid_until is not None
    days = (kept.valid_until - kept.issued_at).days
    assert 181 <= days <= 184  # six calendar months (form TK01, Circular 73/2021/TT-BCA)
    assert [d.result_code for d in find_valid(session, CITIZEN_ID, "photo")] == [kept.result_code]
    later = kept.valid_until + timedelta(days=1)
    assert find_valid(session, CITIZEN_ID, "photo", at=later) == []
    # a term stated by whoever keeps it wins
    stated = kept.issued_at + timedelta(days=30)
    assert default_until("photo", kept.issued_at, stated) == stated


def test_every_document_type_has_a_validity_with_its_source():
    known = table()
    catalogue = json.loads((ROOT / "data" / "registries.json").read_text(encoding="utf-8"))
    wanted = set(catalogue["document_types"])
    for bpmn in (ROOT / "process_models").glob("*/*.bpmn"):
        text = bpmn.read_text(encoding="utf-8")
        wanted.update(part.split('"', 1)[0] for part in text.split('documentType="')[1:])
    for card in (ROOT / "process_models").glob("*/procedure.json"):
        result = json.loads(card.read_text(encoding="utf-8")).get("result_document") or {}
        if result.get("document_type"):
            wanted.add(result["document_type"])
    assert sorted(wanted - set(known)) == []
    assert all(rule.source for rule in known.values())
    now = clock.now()
    assert default_until("household_book", now) < now  # no longer in force since 2023
    assert default_until("birth_certificate", now) is None
    assert default_until("marital_status_confirmation", now).month == ((now.month + 5) % 12) + 1


def test_the_sample_deploys_with_its_prefix(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(LLTP)
    assert engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).receipt_code.startswith("LLTP-")
