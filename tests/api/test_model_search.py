"""Procedures are found without diacritics, by national code and by the abbreviations of
their ``procedure.json`` (``aliases``): the folding of engine/textfold.py behind
``GET /api/v1/models?q=`` and the ``keywords`` the pages search on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api.conftest import LLTP, deploy_sample
from toantrinh.engine.textfold import fold, matches, procedure_keywords

LIBRARY = Path(__file__).resolve().parents[2] / "process_models"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cấp Phiếu lý lịch tư pháp", "cap phieu ly lich tu phap"),
        ("ĐĂNG KÝ   khai sinh", "dang ky khai sinh"),
        ("Đổi giấy phép lái xe", "doi giay phep lai xe"),
        ("Thường trú\u00a0tạm vắng", "thuong tru tam vang"),
        ("Lý lịch", "ly lich"),  # precomposed and decomposed input fold alike
        (None, ""),
    ],
)
def test_fold_drops_marks_reads_d_bar_as_d_and_lower_cases(text, folded):
    assert fold(text) == folded
    if text:
        import unicodedata

        assert fold(unicodedata.normalize("NFD", text)) == folded


def test_every_word_of_the_query_must_occur():
    haystack = procedure_keywords(
        slug="ly-lich-tu-phap",
        code="3.000333",
        name="Cấp Phiếu lý lịch tư pháp",
        name_en=None,
        procedure={"aliases": ["LLTP"]},
    )
    assert (
        matches("ly lich", haystack) and matches("LLTP", haystack) and matches("3.000333", haystack)
    )
    assert matches("  ", haystack)
    assert not matches("ly lich khai sinh", haystack)
    assert not matches("3.000334", haystack)


def _deploy_library(api, slug: str) -> None:
    procedure = json.loads((LIBRARY / slug / "procedure.json").read_text(encoding="utf-8"))
    bpmn = (LIBRARY / slug / procedure["bpmn"]).read_text(encoding="utf-8")
    response = api.post("/api/v1/models", json={"bpmn": bpmn, "procedure": procedure})
    assert response.status_code == 201, response.text


def test_the_model_list_is_filtered_by_name_code_and_alias(live, tokens):
    modeller = live.api(tokens["modeller"])
    assert deploy_sample(modeller).status_code == 201
    _deploy_library(modeller, "dang-ky-khai-sinh")
    citizen = live.api(tokens["citizen"])

    def found(q: str) -> list[str]:
        response = citizen.get("/api/v1/models", params={"q": q})
        assert response.status_code == 200, response.text
        return [m["slug"] for m in response.json()]

    assert sorted(found("")) == ["dang-ky-khai-sinh", "ly-lich-tu-phap"]
    assert found("ly lich") == ["ly-lich-tu-phap"]  # no diacritics typed
    assert found("LÝ LỊCH TƯ PHÁP") == ["ly-lich-tu-phap"]
    assert found("lltp") == ["ly-lich-tu-phap"]  # alias of procedure.json
    assert found("1.001193") == ["dang-ky-khai-sinh"]  # national code
    assert found("dang ky khai sinh") == ["dang-ky-khai-sinh"]
    assert found("giay khai sinh") == ["dang-ky-khai-sinh"]  # alias, folded
    assert found("hộ chiếu") == []
    listed = citizen.get("/api/v1/models").json()
    lltp = next(m for m in listed if m["slug"] == "ly-lich-tu-phap")
    assert "lltp" in lltp["keywords"] and "ly lich tu phap" in lltp["keywords"]
    aliases = json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))["aliases"]
    assert "LLTP" in aliases


def test_every_procedure_json_carries_the_aliases_of_aliases_json():
    known = {
        k: v
        for k, v in json.loads((LIBRARY / "aliases.json").read_text(encoding="utf-8")).items()
        if not k.startswith("$")
    }
    seen = {}
    for path in LIBRARY.glob("*/procedure.json"):
        procedure = json.loads(path.read_text(encoding="utf-8"))
        seen[procedure["slug"]] = procedure.get("aliases")
    assert set(known) <= set(seen), sorted(set(known) - set(seen))
    for slug, aliases in seen.items():
        assert aliases == known.get(slug), slug
