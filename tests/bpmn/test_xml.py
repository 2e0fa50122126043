"""The one hardened XML reader: every check, for the engine and the simplifier alike."""

from __future__ import annotations

import time

import pytest

from toantrinh.bpmn.xml import MAX_DEPTH, UnsafeXMLError, declares_dtd, read_xml
from toantrinh.engine.parsing import ModelError
from toantrinh.engine.parsing import read_xml as engine_read_xml
from toantrinh.simplifier.load import ModelLoadError
from toantrinh.simplifier.load import load as simplifier_load

BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
XXE = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_dtd_is_refused_in_every_encoding(codec):
    text = XXE.replace('version="1.0"', f'version="1.0" encoding="{codec.upper()}"')
    assert declares_dtd(text.encode(codec))
    with pytest.raises(UnsafeXMLError, match="DOCTYPE"):
        read_xml(text.encode(codec))


def test_a_dtd_in_text_input_is_refused_and_nothing_is_read():
    with pytest.raises(UnsafeXMLError) as err:
        read_xml(XXE)
    assert "root:" not in str(err.value)


def test_billion_laughs_fails_fast():
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    started = time.perf_counter()
    with pytest.raises(UnsafeXMLError):
        read_xml(f"<!DOCTYPE d [{ents}]><d>&i;</d>")
    assert time.perf_counter() - started < 1


def test_size_depth_and_element_count_are_bounded():
    with pytest.raises(UnsafeXMLError, match="quá lớn"):
        read_xml(b"<a/>" + b" " * 100, max_bytes=50)
    deep = "<a>" * (MAX_DEPTH + 5) + "</a>" * (MAX_DEPTH + 5)
    with pytest.raises(UnsafeXMLError, match="lồng quá sâu"):
        read_xml(deep)
    assert read_xml("<a>" * 20 + "</a>" * 20, max_depth=25) is not None
    with pytest.raises(UnsafeXMLError, match="lồng quá sâu"):
        read_xml("<a>" * 20 + "</a>" * 20, max_depth=10)
    with pytest.raises(UnsafeXMLError, match="phần tử"):
        read_xml("<a>" + "<b/>" * 50 + "</a>", max_elements=20)


@pytest.mark.parametrize(
    "data, message",
    [(b"", "rỗng"), (b"<a><b></a>", "không hợp lệ"), (b"\x00\xff garbage", "không hợp lệ")],
)
def test_malformed_input_is_named(data, message):
    with pytest.raises(UnsafeXMLError, match=message):
        read_xml(data)


def test_text_with_an_encoding_declaration_is_read():
    assert read_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>Đ</a>').text == "Đ"


def test_comments_and_processing_instructions_are_dropped():
    root = read_xml("<a><!-- secret --><?pi x?><b/></a>")
    assert [c.tag for c in root] == ["b"]


def test_engine_and_simplifier_refuse_the_same_inputs_with_their_own_errors():
    """One reader: a DTD hidden in BOM-less UTF-16 (which the simplifier's byte scan
    missed before) is refused by both before parsing."""
    hidden = (
        f'<?xml version="1.0" encoding="UTF-16LE"?><!DOCTYPE d><bpmn:definitions {BPMN}/>'
    ).encode("utf-16-le")
    with pytest.raises(ModelError, match="DOCTYPE"):
        engine_read_xml(hidden)
    with pytest.raises(ModelLoadError, match="DOCTYPE"):
        simplifier_load(hidden)
    too_deep = f"<bpmn:definitions {BPMN}>" + "<x>" * 300 + "</x>" * 300 + "</bpmn:definitions>"
    with pytest.raises(ModelError, match="lồng quá sâu"):
        engine_read_xml(too_deep)
    with pytest.raises(ModelLoadError, match="lồng quá sâu"):
        simplifier_load(too_deep)
