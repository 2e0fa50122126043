"""Fixtures of the catalogue tests: the project's data files, read once."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from toantrinh.simplifier.records import Vocabulary


@pytest.fixture(scope="session")
def registries() -> dict:
    return json.loads((ROOT / "data" / "registries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    data = json.loads((ROOT / "data" / "catalogue_vocabulary.json").read_text(encoding="utf-8"))
    return Vocabulary(data)


@pytest.fixture(scope="session")
def catalogue(registries) -> dict:
    """``data/registries.json``, the registry catalogue drafts are written against."""
    return registries
