"""What a dossier's file is taken to be: its type from its bytes, its name cleaned."""

from __future__ import annotations

import json
import sys

import pytest
from lxml import etree

from tests.helpers.gpxd import GPXD, declaration
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine import service
from toantrinh.engine.attachments import (
    AttachmentError,
    Limits,
    check_file,
    clean_filename,
    is_code,
    new_code,
    scan,
    sniff,
)
from toantrinh.engine.parsing import BPMN_NS, TT_NS, component_table
from toantrinh.engine.service import Engine, document_type_of
from toantrinh.engine.warehouse import find_by_result_code, find_valid


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"%PDF-1.4\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"II*\x00\x08\x00", "image/tiff"),
        (b"MM\x00*\x00\x08", "image/tiff"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"<html><script>", None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04", None),  # a zip (or .docx) is not taken
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
    ],
)
def test_the_type_is_read_from_the_first_bytes(head, media_type):
    assert sniff(head + b"\x00" * 32) == media_type


def test_file_checks_give_the_reason_and_the_status():
    with pytest.raises(AttachmentError) as empty:
        check_file(b"", Limits())
    assert empty.value.status == 422 and empty.value.field == "file"
    with pytest.raises(AttachmentError) as big:
        check_file(b"%PDF-" + b"\x00" * 2000, Limits(max_bytes=1000))
    assert big.value.status == 413 and "1.000" in str(big.value)
    assert check_file(b"%PDF-1.7", Limits()) == "application/pdf"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\An\\Giấy chứng sinh.jpg", "Giấy chứng sinh.jpg"),
        ("Gia\u0301y to\u031b\u0300.pdf", "Giáy tờ.pdf"),  # decomposed accents composed (NFC)
        ("bad\x00name\r\n.png", "badname.png"),
        ("", "tep-dinh-kem.pdf"),
        ("...", "tep-dinh-kem.pdf"),
        (None, "tep-dinh-kem.pdf"),
        ("a" * 300 + ".pdf", "a" * 200),
    ],
)
def test_file_names_lose_paths_and_control_characters(given, kept):
    assert clean_filename(given, "application/pdf") == kept


def test_codes_are_random_and_recognised():
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000 and all(is_code(c) for c in codes)
    assert not is_code("KQ-20261203-9F3A1C2B") and not is_code("TL-12") and not is_code(7)


DECLARATION = declaration()


def test_a_batch_refuses_only_the_item_whose_file_is_not_its_dossiers(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(GPXD)
    first, second, third = (
        engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID) for _ in range(3)
    )
    drawing = engine.attach(second.id, b"%PDF-1.7\n", component="construction_drawings")
    assert engine.components(first) == {
        "construction_drawings": ["gpxd-don.drawings_file"],
        "land_certificate_copy": ["gpxd-don.land_certificate_file"],
    }
    tasks = {d.id: next(t["id"] for t in engine.ready_tasks(d.id)) for d in (first, second, third)}
    outcomes = engine.complete_tasks(
        [
            (first.id, tasks[first.id], {**DECLARATION, "drawings_file": drawing.code}),
            (second.id, tasks[second.id], {**DECLARATION, "drawings_file": drawing.code}),
            (third.id, tasks[third.id], DECLARATION),
        ],
        actor="test",
    )
    assert [(o.ok, o.status) for o in outcomes] == [(False, 422), (True, 200), (True, 200)]
    assert outcomes[0].errors[0]["field"] == "drawings_file"
    assert [t["id"] for t in engine.ready_tasks(first.id)] == [tasks[first.id]]
    assert engine.data(engine.get(second.id))["drawings_file"] == drawing.code
    kinds = [e.kind for e in engine.events(second.id)]
    assert kinds.index("attachment_added") < kinds.index("task_completed")


def test_component_types_are_read_from_the_model_also_for_older_versions(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    expected = {
        "construction_drawings": "construction_drawings",
        "land_certificate_copy": "land_use_certificate",  # its tt:component documentType
    }
    assert engine.component_types(dossier) == expected
    # a version deployed before the task table kept components: read from its BPMN
    version = dossier.version
    info = json.loads(version.info)
    assert info["components"]["land_certificate_copy"]["name"] == (
        "Bản sao Giấy chứng nhận quyền sử dụng đất"
    )
    del info["components"]
    version.info = json.dumps(info, ensure_ascii=False)
    session.commit()
    service._SPEC_CACHE.clear()
    assert engine.component_types(engine.get(dossier.id)) == expected


def test_a_component_without_a_document_type_is_known_by_its_code():
    process = etree.fromstring(
        f"""<bpmn:process xmlns:bpmn="{BPMN_NS}" xmlns:tt="{TT_NS}" id="P">
          <bpmn:dataObjectReference id="R1" name="Giấy chứng sinh" dataObjectRef="D1">
            <bpmn:extensionElements><tt:component code="birth_notice"/></bpmn:extensionElements>
          </bpmn:dataObjectReference>
          <bpmn:dataObject id="D2">
            <bpmn:extensionElements>
              <tt:component code="id_copy" documentType="identity_card"/>
            </bpmn:extensionElements>
          </bpmn:dataObject>
          <bpmn:dataObject id="D3"><bpmn:extensionElements><tt:component/></bpmn:extensionElements>
          </bpmn:dataObject>
        </bpmn:process>""".encode()
    )
    table = component_table(process)
    assert table == {
        "birth_notice": {"name": "Giấy chứng sinh", "document_type": None},
        "id_copy": {"name": "id_copy", "document_type": "identity_card"},
    }
    assert document_type_of(table, "birth_notice") == "birth_notice"
    assert document_type_of(table, "id_copy") == "identity_card"
    assert document_type_of(None, "other") == "other"


def test_keeping_a_file_puts_it_in_the_warehouse_once(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    scan = engine.attach(dossier.id, b"%PDF-1.7\n gcn", component="land_certificate_copy")
    doc, created = engine.keep_attachment(dossier.id, scan.code, actor="officer:Lê")
    again, created_again = engine.keep_attachment(dossier.id, scan.code, actor="officer:Lê")
    assert created and not created_again and again.id == doc.id
    held = find_valid(session, CITIZEN_ID, "land_use_certificate")
    assert [d.result_code for d in held] == [doc.result_code]
    stored = find_by_result_code(session, doc.result_code, with_content=True)
    assert stored.content == b"%PDF-1.7\n gcn" and stored.source_attachment == scan.code
    assert stored.content_hash == scan.sha256 and stored.media_type == "application/pdf"
    kept = [e for e in engine.events(dossier.id) if e.kind == "attachment_kept"]
    assert len(kept) == 1 and kept[0].actor == "officer:Lê"
    assert kept[0].detail["result_code"] == doc.result_code

    # the next dossier names it instead of a new upload
    second = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(second.id)
    engine.complete_task(
        second.id, task["id"], {**DECLARATION, "land_certificate_file": doc.result_code}
    )
    assert engine.data(engine.get(second.id))["land_certificate_file"] == doc.result_code


# A stand-in for ClamAV's "clamdscan -": reads the file on stdin, answers as it does
FAKE_SCANNER = """
import sys, time
data = sys.stdin.buffer.read()
if b"SLOW" in data:
    time.sleep(5)
if b"BROKEN" in data:
    print("ERROR: Could not connect to clamd", file=sys.stderr)
    sys.exit(2)
if b"INFECTED" in data:
    print("stream: Win.Test.Marker-1 FOUND")
    sys.exit(1)
print("stream: OK")
"""


@pytest.fixture
def scanner(tmp_path) -> tuple[str, ...]:
    script = tmp_path / "fake_clamdscan.py"
    script.write_text(FAKE_SCANNER, encoding="utf-8")
    return (sys.executable, str(script))


def test_the_malware_scanner_passes_refuses_or_fails_closed(scanner):
    limits = Limits(scan_command=scanner, scan_seconds=2)
    scan(b"%PDF-1.7 clean", limits)  # exit 0: taken
    with pytest.raises(AttachmentError) as infected:
        scan(b"%PDF-1.7 INFECTED", limits)
    assert infected.value.status == 422 and "Win.Test.Marker-1" in str(infected.value)
    for content in (b"%PDF-1.7 BROKEN", b"%PDF-1.7 SLOW"):  # an error, a timeout
        with pytest.raises(AttachmentError) as down:
            scan(content, limits)
        assert down.value.status == 503 and down.value.field == "file"
    with pytest.raises(AttachmentError) as missing:  # a scanner that is not installed
        scan(b"%PDF-1.7", Limits(scan_command=("/nonexistent/clamdscan", "-")))
    assert missing.value.status == 503
    scan(b"%PDF-1.7 INFECTED", Limits())  # no scanner configured: nothing is done


def test_an_infected_file_is_not_kept_and_the_dossier_is_not_touched(session, scanner):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(GPXD)
    dossier = engine.start("cap-giay-phep-xay-dung", applicant_id=CITIZEN_ID)
    limits = Limits(scan_command=scanner, scan_seconds=5)
    with pytest.raises(AttachmentError):
        engine.attach(dossier.id, b"%PDF-1.7 INFECTED", limits=limits)
    kept = engine.attach(dossier.id, b"%PDF-1.7 clean", limits=limits)
    assert [a.code for a in engine.attachments(dossier.id)] == [kept.code]
    assert [e.kind for e in engine.events(dossier.id)].count("attachment_added") == 1
