"""The one hardened XML reader for BPMN files (engine deployments and simplifier alike).

A BPMN file is author input: it may come from any modeller, a catalogue import or an
attacker. Hostile input never reaches the tree:

* DTDs and entity declarations are refused before parsing, in the document's own
  encoding (UTF-8, UTF-16 and UTF-32, with or without a byte-order mark), and again after
  parsing should an encoding have hidden them (XXE, billion laughs);
* lxml runs with ``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and
  ``huge_tree=False`` (libxml2's own depth and text-size limits), comments and processing
  instructions dropped;
* the size in bytes, the nesting depth and the number of elements are bounded.

Every refusal is an :class:`UnsafeXMLError` whose message (Vietnamese) names the reason;
callers wrap it in their own error type. Only the standard library and lxml are used.
"""

from __future__ import annotations

import re

from lxml import etree

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a deployed model (engine)
MAX_DEPTH = 256  # libxml2's own limit without XML_PARSE_HUGE
MAX_ELEMENTS = 250_000

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
NO_DTD = (
    "Tệp BPMN không được chứa khai báo DTD hoặc thực thể (<!DOCTYPE>, <!ENTITY>): "
    "BPMN không bao giờ cần đến, nên bị từ chối để chặn XXE và bùng nổ thực thể."
)


class UnsafeXMLError(ValueError):
    """The input is not XML this reader accepts; the message says why (Vietnamese)."""


def declares_dtd(data: bytes) -> bool:
    """Whether the bytes declare a DTD or an entity, in the document's own encoding.

    >>> declares_dtd(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a/>')
    True
    >>> declares_dtd('<!DOCTYPE a><a/>'.encode("utf-16"))
    True
    >>> declares_dtd(b"<a/>")
    False
    """
    text = data.lower()
    if b"<!doctype" in text or b"<!entity" in text:
        return True
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _names_dtd(data.decode(codec, errors="ignore"))
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # UTF-16 without a byte-order mark
        return _names_dtd(data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", "ignore"))
    if data[:4] in (b"<\x00\x00\x00", b"\x00\x00\x00<"):  # UTF-32 without a byte-order mark
        return _names_dtd(data.decode("utf-32-le" if data[0] == 0x3C else "utf-32-be", "ignore"))
    return False


def _names_dtd(text: str) -> bool:
    text = text.lower()
    return "<!doctype" in text or "<!entity" in text


def _as_bytes(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        # lxml refuses str input with an encoding declaration; the text is already decoded
        return _XML_DECL_RE.sub("", data, count=1).encode("utf-8")
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise UnsafeXMLError(
        f"Mô hình phải là XML BPMN dạng bytes hoặc str, nhận được {type(data).__name__}."
    )


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_xml(
    data: bytes | bytearray | memoryview | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_elements: int = MAX_ELEMENTS,
) -> etree._Element:
    """Parse untrusted XML and return its root element, or raise :class:`UnsafeXMLError`.

    The limits are keyword arguments so that a reader of large catalogue exports may
    allow more bytes; every other check always applies.

    >>> read_xml("<a><b/></a>").tag
    'a'
    """
    raw = _as_bytes(data)
    if len(raw) > max_bytes:
        raise UnsafeXMLError(
            f"Tệp quá lớn ({_group(len(raw))} byte; giới hạn {_group(max_bytes)} byte)."
        )
    if not raw.strip():
        raise UnsafeXMLError("Mô hình rỗng.")
    if declares_dtd(raw):
        raise UnsafeXMLError(NO_DTD)
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):
            raise UnsafeXMLError(f"XML lồng quá sâu (quá {max_depth} cấp).") from None
        raise UnsafeXMLError(f"XML không hợp lệ (not well-formed): {exc}") from None
    except (ValueError, TypeError, MemoryError, RecursionError) as exc:
        raise UnsafeXMLError(f"Không đọc được XML: {exc}") from None
    if root is None:
        raise UnsafeXMLError("XML không có phần tử gốc.")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise UnsafeXMLError(NO_DTD)  # hidden from the byte scan by its encoding
    _check_shape(root, max_depth, max_elements)
    return root


def _check_shape(root: etree._Element, max_depth: int, max_elements: int) -> None:
    """Element count (one C-level walk) and nesting depth.

    libxml2 itself refuses documents nested deeper than 256 levels (without
    ``huge_tree``); a smaller ``max_depth`` is checked here, iteratively.
    """
    for count, _ in enumerate(root.iter(), 1):
        if count > max_elements:
            raise UnsafeXMLError(f"XML có hơn {_group(max_elements)} phần tử.")
    if max_depth >= MAX_DEPTH:
        return
    depth = 0
    for event, _el in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > max_depth:
            raise UnsafeXMLError(f"XML lồng quá sâu (quá {max_depth} cấp).")


def _group(n: int) -> str:
    """Thousands separated by a point, as Vietnamese writes them.

    >>> _group(5242880)
    '5.242.880'
    """
    return f"{n:,}".replace(",", ".")


_TAGS: dict[object, tuple[str, str]] = {}  # "{ns}local" -> (ns, local): tags repeat a lot


def split_tag(tag: object) -> tuple[str, str] | None:
    """``(namespace, local name)`` of an element's tag; None for comments and PIs.

    >>> split_tag("{urn:x}a"), split_tag("b")
    (('urn:x', 'a'), ('', 'b'))
    """
    try:
        return _TAGS[tag]
    except KeyError:
        if not isinstance(tag, str):
            return None
        ns, _, local = tag[1:].partition("}") if tag[:1] == "{" else ("", "", tag)
        if len(_TAGS) < 4096:  # bounded: hostile files may invent any number of tags
            _TAGS[tag] = (ns, local)
        return ns, local
    except TypeError:  # comments and processing instructions have a function as tag
        return None


def text_of(el: etree._Element) -> str:
    """All the text inside an element (its own and its descendants'), as one string."""
    return "".join(str(t) for t in el.itertext())


def local_name(el: etree._Element) -> str | None:
    """The element's local name (None for comments and processing instructions)."""
    parts = split_tag(el.tag)
    return parts[1] if parts else None


def namespace(el: etree._Element) -> str:
    """The element's namespace URI ('' when it has none)."""
    parts = split_tag(el.tag)
    return parts[0] if parts else ""
