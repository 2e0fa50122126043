"""The simplifier's reports on the unusual but valid shapes the BPMN corpus bench found
crashing them (issue 27.11): every format renders, through the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tests.helpers.unusual import collaboration_without_id, flows_without_ids
from toantrinh.simplifier.cli import simplify_command

ROOT = Path(__file__).resolve().parents[2]
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _simplify(tmp_path: Path, xml: str, fmt: str) -> str:
    model = tmp_path / "model.bpmn"
    model.write_text(xml, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(
        simplify_command, [str(model), "--format", fmt, "--out", str(out), "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["html", "bpmn", "json", "md"])
def test_a_collaboration_without_id_renders_in_every_format(tmp_path, fmt):
    text = _simplify(tmp_path, collaboration_without_id(), fmt)
    assert "pool_process" in text or "Tiếp nhận hồ sơ" in text


def test_flows_without_ids_get_ids_and_edges_in_the_rewritten_model(tmp_path):
    root = etree.fromstring(_simplify(tmp_path, flows_without_ids(), "bpmn").encode())
    flows = root.findall(f".//{{{BPMN}}}sequenceFlow")
    assert len(flows) == 2 and all(f.get("id") for f in flows)
    edges = {e.get("bpmnElement") for e in root.iter(f"{{{DI}}}BPMNEdge")}
    assert {f.get("id") for f in flows} <= edges
