"""Deploy refuses in one clear line, or deploys, the unusual but valid shapes the BPMN
corpus bench found crashing it (issue 27.11)."""

from __future__ import annotations

import pytest

from tests.helpers.unusual import event_subprocess_without_id, message_ref_as_qname
from toantrinh.engine.parsing import ModelError
from toantrinh.engine.service import Engine


def test_a_message_ref_written_as_a_qname_of_the_document_deploys(session):
    result = Engine(session).deploy(message_ref_as_qname())
    assert result.created
    assert result.version.model.process_id == "qname_refs"
    from toantrinh.engine.parsing import ModelInfo

    assert ModelInfo.from_json(result.version.info).message_starts == ["hoa_don_moi"]


@pytest.mark.parametrize("ref", ["tns:missing", "missing", "other:newInvoice"])
def test_a_reference_to_a_message_not_in_the_file_is_a_refusal(session, ref):
    """SpiffWorkflow's own error path raised TypeError ("unexpected keyword argument
    'node'"), which the modeller saw as the reason."""
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(message_ref_as_qname(ref))
    (problem,) = refused.value.problems
    assert f"messageRef '{ref}' không trỏ tới phần tử <message>" in problem
    assert "TypeError" not in problem


def test_an_event_subprocess_without_id_is_a_refusal_not_a_value_error(session):
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(event_subprocess_without_id())
    assert refused.value.problems == ["phần tử <subProcess> không có id"]


@pytest.mark.parametrize("codec", ["iso-8859-1", "utf-16"])
def test_a_model_in_another_declared_encoding_deploys_and_is_kept_as_utf8(session, codec):
    """Activiti exports ISO-8859-1: deploy raised UnicodeDecodeError storing it."""
    from toantrinh.engine.parsing import ModelInfo

    xml = message_ref_as_qname("newInvoice").replace('name="Ghi sổ"', 'name="Révision à faire"')
    raw = xml.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="{codec.upper()}"?>',
    ).encode(codec)
    version = Engine(session).deploy(raw).version
    assert version.bpmn.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Révision à faire" in version.bpmn
    assert ModelInfo.from_json(version.info).tasks["Book"].name == "Révision à faire"
