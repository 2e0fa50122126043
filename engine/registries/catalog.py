"""The registry catalogue (danh mục cơ sở dữ liệu): which national databases exist,
which fields and document types each supplies, and whether a deployment is connected.

The catalogue is data (``data/registries.json``), not code: a province edits it to say
what it is connected to (Decision 11/2026/QĐ-TTg lists the key national databases).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from toantrinh.bpmn import datafiles

DEFAULT_CATALOG = datafiles.path("data", "registries.json")


@dataclass(frozen=True)
class RegistryEntry:
    """One database in the catalogue."""

    id: str
    name_vi: str
    name_en: str
    owner: str
    connected: bool
    scope_published: bool
    fields: tuple[str, ...] = field(default_factory=tuple)
    document_types: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Catalog:
    """Field and document vocabulary plus the registries."""

    fields: dict[str, str]
    document_types: dict[str, str]
    registries: dict[str, RegistryEntry]

    def registry(self, registry_id: str) -> RegistryEntry:
        try:
            return self.registries[registry_id]
        except KeyError:
            raise KeyError(f"Không có cơ sở dữ liệu '{registry_id}' trong danh mục") from None


def catalog_path() -> Path:
    return Path(os.environ.get("TOANTRINH_REGISTRY_CATALOG", DEFAULT_CATALOG))


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read the catalogue (``TOANTRINH_REGISTRY_CATALOG`` or ``data/registries.json``)."""
    return _load(str(Path(path) if path else catalog_path()))


@lru_cache(maxsize=8)
def _load(path: str) -> Catalog:
    raw: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    registries = {
        r["id"]: RegistryEntry(
            id=r["id"],
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            owner=r.get("owner", ""),
            connected=bool(r.get("connected", False)),
            scope_published=bool(r.get("scope_published", False)),
            fields=tuple(r.get("fields", [])),
            document_types=tuple(r.get("document_types", [])),
        )
        for r in raw["registries"]
    }
    return Catalog(dict(raw["fields"]), dict(raw["document_types"]), registries)
