"""Synthetic but realistic registry data for the sandbox (dữ liệu giả lập).

Everything is generated deterministically from a seed, so that tests, demos and example
dossiers see the same people on every run. Identity numbers follow Circular
59/2021/TT-BCA (:func:`~toantrinh.sandbox.synthetic.people.identity_number`). Addresses use
the 34 provinces and the commune-level units in force since the 2025 reorganisation
(Resolution 202/2025/QH15; no district level since 1 July 2025). The province code in an
identity number keeps the pre-2025 code of the place of registration, as real numbers do.

The well-known test persons (:data:`WELL_KNOWN_PERSONS`) are documented in
``docs/registries.md``; example dossiers and tests refer to them by identity number.

The rooms, in the order :func:`generate` uses them:

- ``vocabulary``: the word lists (provinces and communes, streets, names, …);
- ``model``: :class:`Person`, :class:`Dataset`, the registry ids, a document's shape;
- ``well_known`` and ``people``: the well-known persons, then seeded random households;
- ``records``: one record per national database for each person;
- ``frequent_facts`` and ``frequent``: what the most-used procedures need (issue 25).
"""

from __future__ import annotations

import random

from toantrinh.sandbox.synthetic.frequent import extend_for_frequent_procedures
from toantrinh.sandbox.synthetic.model import (
    FREQUENT_REGISTRY_IDS,
    REGISTRY_IDS,
    Dataset,
    Person,
    index_documents,
)
from toantrinh.sandbox.synthetic.people import (
    add_households,
    add_well_known_persons,
    identity_number,
)
from toantrinh.sandbox.synthetic.records import records_for
from toantrinh.sandbox.synthetic.vocabulary import PROVINCES
from toantrinh.sandbox.synthetic.well_known import WELL_KNOWN_PERSONS

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "FREQUENT_REGISTRY_IDS",
    "PROVINCES",
    "REGISTRY_IDS",
    "WELL_KNOWN_PERSONS",
    "Dataset",
    "Person",
    "extend_for_frequent_procedures",
    "generate",
    "identity_number",
]

DEFAULT_SEED = 2025
DEFAULT_SIZE = 400


def generate(seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Dataset:
    """Generate the sandbox dataset: the well-known persons plus ``size`` random persons
    in households, their records in every registry, then what the most-used procedures
    need."""
    rng = random.Random(seed)
    data = Dataset(
        seed=seed, persons={}, records={r: {} for r in REGISTRY_IDS}, documents={}, enterprises={}
    )
    specs = add_well_known_persons(data)
    add_households(data, rng, size)
    seq = {"KS": 0, "GKSK": 0}
    for pid, p in data.persons.items():
        records_for(p, specs.get(pid, {"criminal": "random"}), rng, data, seq)
    index_documents(data)
    extend_for_frequent_procedures(data)
    return data
