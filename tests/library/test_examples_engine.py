"""Every example dossier of every library procedure runs through the real engine against
the sandbox registries over HTTP, and the Decree 63/2024 linked groups run end to end
with messages crossing dossiers."""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select

from tests.library.library import (
    LIBRARY,
    NS,
    ROOT,
    bpmn_tree,
    completed_bpmn_ids,
    contains,
    drive_example,
    examples,
    folders,
    procedure,
    sent_messages,
)
from toantrinh.engine.db import Base
from toantrinh.engine.service import Engine
from toantrinh.engine.warehouse import WarehouseDocument, store_result
from toantrinh.sandbox import sandbox_connectors

OWN = folders()
CASES = [(f, name) for f in OWN for name in examples(f)]


@pytest.fixture
def registry(session_factory):
    reg = sandbox_connectors(session_factory=session_factory)
    yield reg
    reg.close()


@pytest.fixture
def eng(session, registry):
    return Engine(session, connectors=registry, forms_dir=ROOT / "forms")


def _branch_targets(folder) -> dict[str, list[str]]:
    """Exclusive gateways with conditions → the nodes their outgoing flows lead to."""
    root = bpmn_tree(folder)
    out: dict[str, list[str]] = {}
    for gw in root.iterfind(".//bpmn:exclusiveGateway", NS):
        flows = [
            f
            for f in root.iterfind(".//bpmn:sequenceFlow", NS)
            if f.get("sourceRef") == gw.get("id")
        ]
        if len(flows) > 1:
            out[gw.get("id")] = [f.get("targetRef") for f in flows]
    return out


@pytest.mark.parametrize(("folder", "name"), CASES, ids=[f"{f.name}/{n}" for f, n in CASES])
def test_example_reaches_its_expected_end_state(eng, session, folder, name):
    example = examples(folder)[name]
    eng.deploy_folder(folder)
    dossier = drive_example(eng, session, folder, example)
    expect = example["expect"]
    assert dossier.status == expect["status"], dossier.last_error
    data = eng.data(dossier)
    assert contains(data, expect.get("data", {})), {k: data.get(k) for k in expect.get("data", {})}
    done = completed_bpmn_ids(eng, dossier)
    assert set(expect.get("completed_tasks", [])) <= done, sorted(
        set(expect["completed_tasks"]) - done
    )
    if "messages_sent" in expect:
        # by name: how many times each is sent is test_each_thrown_message_is_sent_once
        assert sorted(set(sent_messages(session, dossier))) == sorted(expect["messages_sent"])
    assert dossier.applicant_id == example["applicant"]


@pytest.mark.parametrize("folder", OWN, ids=[f.name for f in OWN])
def test_examples_together_take_every_gateway_branch(eng, session, folder):
    eng.deploy_folder(folder)
    done: set[str] = set()
    for example in examples(folder).values():
        done |= completed_bpmn_ids(eng, drive_example(eng, session, folder, example))
    untaken = {
        gw: [t for t in targets if t not in done] for gw, targets in _branch_targets(folder).items()
    }
    assert {gw: t for gw, t in untaken.items() if t} == {}


def test_prefill_comes_from_the_population_database_over_http(eng):
    eng.deploy_folder(LIBRARY / "dang-ky-khai-sinh")
    dossier = eng.start("dang-ky-khai-sinh", applicant_id="001192034567")
    (task,) = eng.ready_tasks(dossier.id)
    assert task["bpmn_id"] == "Task_Declare"
    assert task["prefill"]["full_name"] == "Trần Thị Bình"
    assert (
        task["prefill"]["permanent_address"]
        == "Số 18, Phố Kim Mã, Phường Ba Đình, Thành phố Hà Nội"
    )
    assert "full_name" not in task["typed_fields"] and "child_full_name" in task["typed_fields"]
    provenance = eng.data(dossier)["citizen"]["provenance"]
    assert provenance["registry"] == "population" and provenance["record_id"] == "DC-001192034567"


def test_registry_outage_leaves_the_dossier_retryable(session, session_factory):
    with sandbox_connectors(
        session_factory=session_factory, failures={"population": 100}, retries=1
    ) as reg:
        eng = Engine(session, connectors=reg, forms_dir=ROOT / "forms")
        eng.deploy_folder(LIBRARY / "thong-bao-luu-tru")
        dossier = eng.start("thong-bao-luu-tru", applicant_id="001205000123")
        assert dossier.status == "error"
        assert dossier.error_retryable is True
        assert "Cơ sở dữ liệu quốc gia về dân cư" in dossier.last_error


def test_construction_permit_finds_the_land_certificate_in_the_warehouse(eng, session):
    store_result(
        session,
        applicant_id="001090012345",
        document_type="land_use_certificate",
        title="Giấy chứng nhận quyền sử dụng đất số DA 123456",
        issuer="Sở Tài nguyên và Môi trường Hà Nội",
        data={"land_certificate_number": "DA 123456", "land_parcel_number": "245"},
    )
    session.commit()
    folder = LIBRARY / "cap-giay-phep-xay-dung"
    eng.deploy_folder(folder)
    example = examples(folder)["du-dieu-kien"]
    dossier = drive_example(eng, session, folder, example)
    found = eng.data(dossier)["land_certificate_in_warehouse"]
    assert found["found"] is True
    assert found["data"]["land_certificate_number"] == "DA 123456"


def test_once_only_a_land_certificate_issued_by_one_dossier_serves_the_next(eng, session):
    """Decree 45/2020: the first dossier's result goes to the applicant's e-data warehouse;
    the construction permit then finds it there instead of asking for a copy."""
    import copy

    land, permit = LIBRARY / "cap-giay-chung-nhan-dat-lan-dau", LIBRARY / "cap-giay-phep-xay-dung"
    eng.deploy_folder(land)
    eng.deploy_folder(permit)
    issued = drive_example(eng, session, land, examples(land)["cap-lan-dau"])
    assert issued.status == "completed"
    owner = issued.applicant_id
    kept = [e for e in eng.events(issued.id) if e.kind == "result_stored"]
    assert kept and kept[0].detail["document_type"] == "land_use_certificate"

    example = copy.deepcopy(examples(permit)["du-dieu-kien"])
    example["applicant"] = owner
    example["start"].setdefault("data", {})["applicant_id"] = owner
    dossier = drive_example(eng, session, permit, example)
    found = eng.data(dossier)["land_certificate_in_warehouse"]
    assert found["found"] is True
    assert found["data"]["receipt_code"] == issued.receipt_code


def test_once_only_the_death_extract_of_one_dossier_stands_for_the_next_ones_copy(eng, session):
    """The son who registered his father's death claims the funeral allowance: the death
    extract the first dossier issued is in his warehouse, of the type the allowance's
    component asks for, and its result code takes the place of an uploaded copy."""
    import copy

    death, allowance = LIBRARY / "dang-ky-khai-tu", LIBRARY / "tro-cap-mai-tang"
    eng.deploy_folder(death)
    eng.deploy_folder(allowance)
    registered = drive_example(eng, session, death, examples(death)["con-dang-ky-khai-tu-cho-cha"])
    assert registered.status == "completed"
    (kept,) = [e for e in eng.events(registered.id) if e.kind == "result_stored"]
    assert kept.detail["document_type"] == "death_certificate"
    code = kept.detail["result_code"]

    example = copy.deepcopy(examples(allowance)["huong-tro-cap"])
    assert example["applicant"] == registered.applicant_id
    declare = next(s for s in example["steps"] if s["task"] == "Task_Declare")
    declare["data"]["death_certificate_file"] = code
    claimed = drive_example(eng, session, allowance, example)
    assert eng.data(claimed)["death_certificate_file"] == code

    # a document of another type does not stand for it
    other = store_result(
        session,
        applicant_id=registered.applicant_id,
        document_type="birth_certificate",
        title="Giấy khai sinh",
        issuer="UBND",
    )
    session.commit()
    declare["data"]["death_certificate_file"] = other.result_code
    from toantrinh.engine.forms import FormValidationError

    with pytest.raises(FormValidationError) as refused:
        drive_example(eng, session, allowance, example)
    assert [e.field for e in refused.value.errors] == ["death_certificate_file"]


def _complete(eng, dossier_id, bpmn_id, data):
    ready = {t["bpmn_id"]: t for t in eng.ready_tasks(dossier_id)}
    assert bpmn_id in ready, f"{bpmn_id} not ready; ready: {sorted(ready)}"
    eng.complete_task(dossier_id, ready[bpmn_id]["id"], data, actor="test")


def _dossiers_of(eng, session, slug):
    from sqlalchemy import select

    from toantrinh.engine.persistence import Dossier

    return [
        d
        for d in session.scalars(select(Dossier).order_by(Dossier.id))
        if d.version.model.slug == slug
    ]


def test_decree_63_birth_group_runs_end_to_end_with_messages(eng, session):
    for slug in ("lien-thong-khai-sinh", "lien-thong-thuong-tru-tre-em", "lien-thong-bhyt-tre-em"):
        eng.deploy_folder(LIBRARY / slug)
    main_example = examples(LIBRARY / "lien-thong-khai-sinh")["lien-thong-du-ba-ket-qua"]
    main = eng.start(
        "lien-thong-khai-sinh",
        applicant_id="001192034567",
        data={"applicant_id": "001192034567", "link_id": "LT63-E2E-1"},
    )
    for step in main_example["steps"][:5]:
        _complete(eng, main.id, step["task"], step["data"])
    assert eng.ready_tasks(main.id) == []
    assert eng.get(main.id).status == "in_progress"

    assert eng.route_messages() == 1  # → starts the residence dossier
    (residence,) = _dossiers_of(eng, session, "lien-thong-thuong-tru-tre-em")
    assert residence.link_id == main.link_id == main.receipt_code
    assert residence.applicant_id == "001192034567"
    received = eng.data(residence)["lien_thong"]
    assert received["child_identity_number"] == "001226004572"
    assert eng.data(residence)["mother"]["permanent_address"].endswith("Thành phố Hà Nội")
    _complete(eng, residence.id, "Task_Register", {"decision": "approve"})
    _complete(eng, residence.id, "Task_Approve", {"signed": True})
    assert eng.get(residence.id).status == "completed"

    assert eng.route_messages() == 1  # → starts the health-insurance dossier
    (card,) = _dossiers_of(eng, session, "lien-thong-bhyt-tre-em")
    assert eng.data(card)["lien_thong"]["residence_registered"] is True
    _complete(
        eng,
        card.id,
        "Task_Issue",
        {
            "decision": "approve",
            "health_insurance_card_number": "TE1010260045720",
            "card_valid_until": "2032-11-01",
        },
    )
    _complete(eng, card.id, "Task_Sign", {"signed": True})

    assert eng.route_messages() == 1  # → back to the commune's dossier
    assert [t["bpmn_id"] for t in eng.ready_tasks(main.id)] == ["Task_Deliver"]
    _complete(eng, main.id, "Task_Deliver", {"delivery_method": "Trực tuyến"})
    main = eng.get(main.id)
    assert main.status == "completed"
    result = eng.data(main)["linked_result"]
    assert result == {
        "link_id": main.receipt_code,
        "card_issued": True,
        "residence_registered": True,
        "health_insurance_card_number": "TE1010260045720",
    }


def test_decree_63_death_group_runs_end_to_end_with_messages(eng, session):
    for slug in ("lien-thong-khai-tu", "lien-thong-xoa-thuong-tru", "lien-thong-tro-cap-mai-tang"):
        eng.deploy_folder(LIBRARY / slug)
    main_example = examples(LIBRARY / "lien-thong-khai-tu")["lien-thong-du-ket-qua"]
    main = eng.start(
        "lien-thong-khai-tu",
        applicant_id="036060001357",
        data={"applicant_id": "036060001357", "link_id": "LT63-E2E-2"},
    )
    for step in main_example["steps"][:5]:
        _complete(eng, main.id, step["task"], step["data"])
    assert eng.route_messages() == 1
    (removal,) = _dossiers_of(eng, session, "lien-thong-xoa-thuong-tru")
    _complete(eng, removal.id, "Task_Remove", {"decision": "approve"})
    _complete(eng, removal.id, "Task_Approve", {"signed": True})
    assert eng.route_messages() == 1
    (funeral,) = _dossiers_of(eng, session, "lien-thong-tro-cap-mai-tang")
    assert (
        eng.data(funeral)["deceased_insurance"]["pension_status"]
        == "Đang hưởng lương hưu hằng tháng"
    )
    _complete(
        eng, funeral.id, "Task_Appraise", {"decision": "approve", "allowance_amount": 23400000}
    )
    _complete(eng, funeral.id, "Task_Sign", {"signed": True})
    _complete(
        eng,
        funeral.id,
        "Task_Payout",
        {"payout_reference": "CT-2026-000990", "paid_on": "2026-11-28"},
    )
    assert eng.route_messages() == 1
    _complete(eng, main.id, "Task_Deliver", {"delivery_method": "Trực tuyến"})
    main = eng.get(main.id)
    assert main.status == "completed"
    assert eng.data(main)["linked_result"] == {
        "link_id": main.receipt_code,
        "residence_removed": True,
        "allowance_granted": True,
        "allowance_amount": 23400000,
    }
    assert all(d.status == "completed" for d in (eng.get(removal.id), eng.get(funeral.id)))


def test_each_thrown_message_is_sent_once(eng, session):
    from sqlalchemy import select

    from toantrinh.engine.persistence import Message

    for slug in ("lien-thong-khai-sinh", "lien-thong-thuong-tru-tre-em", "lien-thong-bhyt-tre-em"):
        eng.deploy_folder(LIBRARY / slug)
    folder = LIBRARY / "lien-thong-khai-sinh"
    dossier = drive_example(eng, session, folder, examples(folder)["lien-thong-du-ba-ket-qua"])
    assert dossier.status == "completed"
    sent = list(
        session.scalars(select(Message.name).where(Message.source_dossier_id == dossier.id))
    )
    assert sent == ["lt63_dang_ky_thuong_tru"]
    eng.route_messages()
    assert len(_dossiers_of(eng, session, "lien-thong-thuong-tru-tre-em")) == 1


def test_messages_of_two_groups_do_not_cross(eng, session):
    """Two families file at the same time; each reply reaches its own dossier (link_id)."""
    for slug in ("lien-thong-khai-tu", "lien-thong-xoa-thuong-tru", "lien-thong-tro-cap-mai-tang"):
        eng.deploy_folder(LIBRARY / slug)
    steps = examples(LIBRARY / "lien-thong-khai-tu")["lien-thong-du-ket-qua"]["steps"][:5]
    mains, keys = [], []
    for link in ("LT63-A", "LT63-B"):
        d = eng.start(
            "lien-thong-khai-tu",
            applicant_id="036060001357",
            data={"applicant_id": "036060001357", "link_id": link},
        )
        for step in steps:
            _complete(eng, d.id, step["task"], step["data"])
        mains.append(d.id)
        keys.append(d.link_id)
    assert eng.route_messages() == 2
    removals = _dossiers_of(eng, session, "lien-thong-xoa-thuong-tru")
    assert sorted(d.link_id for d in removals) == sorted(keys)
    b = next(d for d in removals if d.link_id == keys[1])
    _complete(
        eng,
        b.id,
        "Task_Remove",
        {"decision": "refuse", "refusal_reason": "Không thường trú tại địa phương"},
    )
    assert eng.route_messages() == 1
    (funeral,) = _dossiers_of(eng, session, "lien-thong-tro-cap-mai-tang")
    assert funeral.link_id == keys[1]
    _complete(
        eng, funeral.id, "Task_Appraise", {"decision": "refuse", "refusal_reason": "Đã giải quyết"}
    )
    assert eng.route_messages() == 1
    ready = {i: [t["bpmn_id"] for t in eng.ready_tasks(i)] for i in mains}
    assert ready == {mains[0]: [], mains[1]: ["Task_Deliver"]}


def _birth_group_until_residence(eng, applicant: str, link_id: str | None = None) -> int:
    """A family files the birth group (Decree 63/2024 group 1) as a portal would, and the
    commune finishes its part; returns the birth dossier's id."""
    steps = examples(LIBRARY / "lien-thong-khai-sinh")["lien-thong-du-ba-ket-qua"]["steps"][:5]
    data = {"applicant_id": applicant} | ({"link_id": link_id} if link_id else {})
    birth = eng.start("lien-thong-khai-sinh", applicant_id=applicant, data=data)
    for step in steps:
        _complete(eng, birth.id, step["task"], step["data"])
    return birth.id


def _finish_card(eng, card_id: int, number: str) -> None:
    _complete(
        eng,
        card_id,
        "Task_Issue",
        {
            "decision": "approve",
            "health_insurance_card_number": number,
            "card_valid_until": "2032-11-01",
        },
    )
    _complete(eng, card_id, "Task_Sign", {"signed": True})


@pytest.mark.parametrize("caller_link", [None, "LT63-CUNG-MA"], ids=["no-link", "same-link"])
def test_two_birth_groups_at_once_each_get_their_own_card(eng, session, caller_link):
    """Two families file the birth group at the same time, without a link id or with the
    same one: each group correlates on its own key, so one family's health-insurance card
    reaches its own birth dossier only (issue 27.1: it reached both)."""
    from toantrinh.engine.persistence import Message

    for slug in ("lien-thong-khai-sinh", "lien-thong-thuong-tru-tre-em", "lien-thong-bhyt-tre-em"):
        eng.deploy_folder(LIBRARY / slug)
    births = [
        _birth_group_until_residence(eng, applicant, caller_link)
        for applicant in ("001192034567", "036060001357")
    ]
    keys = [eng.get(i).link_id for i in births]
    assert None not in keys and keys[0] != keys[1] and caller_link not in keys
    assert eng.route_messages() == 2
    residences = _dossiers_of(eng, session, "lien-thong-thuong-tru-tre-em")
    assert sorted(d.link_id for d in residences) == sorted(keys)
    for residence in residences:
        _complete(eng, residence.id, "Task_Register", {"decision": "approve"})
        _complete(eng, residence.id, "Task_Approve", {"signed": True})
    assert eng.route_messages() == 2
    cards = {d.link_id: d for d in _dossiers_of(eng, session, "lien-thong-bhyt-tre-em")}
    assert set(cards) == set(keys)
    _finish_card(eng, cards[keys[0]].id, "TE1010260045720")
    assert eng.route_messages() == 1
    (reply,) = session.scalars(select(Message).where(Message.name == "lt63_the_bhyt_da_cap")).all()
    assert reply.link_id == keys[0] and reply.delivered_to == [births[0]]
    assert [t["bpmn_id"] for t in eng.ready_tasks(births[0])] == ["Task_Deliver"]
    assert eng.ready_tasks(births[1]) == []
    assert eng.data(eng.get(births[0]))["linked_result"]["health_insurance_card_number"] == (
        "TE1010260045720"
    )
    assert "linked_result" not in eng.data(eng.get(births[1]))


def test_linked_models_declare_matching_throw_and_catch_messages():
    def messages(slug, tag):
        root = bpmn_tree(LIBRARY / slug)
        names = {m.get("id"): m.get("name") for m in root.iterfind("bpmn:message", NS)}
        return {
            names[d.get("messageRef")]
            for ev in root.iterfind(f".//bpmn:{tag}", NS)
            for d in ev.iterfind("bpmn:messageEventDefinition", NS)
        }

    for group in (
        ("lien-thong-khai-sinh", "lien-thong-thuong-tru-tre-em", "lien-thong-bhyt-tre-em"),
        ("lien-thong-khai-tu", "lien-thong-xoa-thuong-tru", "lien-thong-tro-cap-mai-tang"),
    ):
        thrown = set().union(
            *(messages(s, "intermediateThrowEvent") | messages(s, "endEvent") for s in group)
        )
        caught = set().union(
            *(messages(s, "startEvent") | messages(s, "intermediateCatchEvent") for s in group)
        )
        assert thrown == caught and len(thrown) == 3
        assert all(
            procedure(LIBRARY / s)["linked_group"] == procedure(LIBRARY / group[0])["linked_group"]
            for s in group
        )
    assert etree  # lxml is the parser behind bpmn_tree


def test_whole_library_deploys_into_one_engine_and_each_message_has_one_starter(eng):
    from toantrinh.engine.service import deploy_library

    results = deploy_library(eng, LIBRARY)
    assert len(results) == len(folders()) and all(r.created for r in results)
    starters: dict[str, list[str]] = {}
    for folder in folders():
        root = bpmn_tree(folder)
        names = {m.get("id"): m.get("name") for m in root.iterfind("bpmn:message", NS)}
        for start in root.iterfind(".//bpmn:startEvent/bpmn:messageEventDefinition", NS):
            starters.setdefault(names[start.get("messageRef")], []).append(folder.name)
    assert {m: len(s) for m, s in starters.items()} == {
        "lt63_dang_ky_thuong_tru": 1,
        "lt63_cap_the_bhyt": 1,
        "lt63_xoa_thuong_tru": 1,
        "lt63_tro_cap_mai_tang": 1,
    }


def test_worker_retries_a_dossier_once_the_registry_is_back(session, session_factory, db_engine):
    from toantrinh.engine import clock
    from toantrinh.engine.scheduler import tick

    Base.metadata.create_all(db_engine, tables=[WarehouseDocument.__table__])
    # the population database answers 503 three times: the first step (2 attempts) fails,
    # the worker's retry (2 attempts) gets through on its second attempt
    with sandbox_connectors(
        session_factory=session_factory, failures={"population": 3}, retries=1
    ) as reg:
        eng = Engine(session, connectors=reg, forms_dir=ROOT / "forms")
        eng.deploy_folder(LIBRARY / "thong-bao-luu-tru")
        dossier = eng.start("thong-bao-luu-tru", applicant_id="001205000123")
        assert dossier.status == "error" and dossier.error_retryable
        assert eng.ready_tasks(dossier.id) == []
        clock.advance(5 * 60)
        assert tick(session, reg).retries == 1
        dossier = eng.get(dossier.id)
        assert dossier.status == "in_progress", dossier.last_error
        (task,) = eng.ready_tasks(dossier.id)
        assert task["bpmn_id"] == "Task_Declare"
        assert task["prefill"]["full_name"] == "Đặng Quốc Huy"
