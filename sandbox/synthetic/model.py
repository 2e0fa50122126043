"""The shapes of the synthetic data: a person, the dataset the sandbox serves, the
registries it holds, and a registry document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

REGISTRY_IDS = (
    "population",
    "civil_status",
    "business_registration",
    "land",
    "social_insurance",
    "driving_licences",
    "vehicles",
    "judicial_records",
    "health",
    "tax",
    "education",
)

# Registries added for the most-used procedures (issue 25, item 10).
FREQUENT_REGISTRY_IDS = (
    "land_transactions",
    "unemployment_insurance",
    "exam_candidates",
    "traffic_violations",
    "road_transport",
)


@dataclass
class Person:
    """A row of the population database plus what other registries know about them."""

    identity_number: str
    full_name: str
    sex: str
    date_of_birth: date
    province: str
    province_code: str
    commune: str
    street_address: str
    ethnicity: str = "Kinh"
    religion: str = "Không"
    father_name: str = ""
    mother_name: str = ""
    father_identity_number: str | None = None
    mother_identity_number: str | None = None
    spouse_identity_number: str | None = None
    household_head: str = ""
    household_relation: str = "Chủ hộ"
    native_place: str = ""
    temporary_address: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def permanent_address(self) -> str:
        return f"{self.street_address}, {self.commune}, {self.province}"


@dataclass
class Dataset:
    """Everything the sandbox serves, indexed by registry and by key."""

    seed: int
    persons: dict[str, Person]
    records: dict[str, dict[str, dict[str, Any]]]  # registry -> key -> record
    documents: dict[str, dict[str, Any]]  # document number -> document
    enterprises: dict[str, dict[str, Any]]


def document(kind: str, number: str, issued: str, valid_until: str | None = None) -> dict[str, Any]:
    """A valid document as a registry lists it on a record."""
    return {
        "type": kind,
        "number": number,
        "issued_at": issued,
        "valid_until": valid_until,
        "status": "valid",
    }


def index_documents(data: Dataset) -> None:
    """Rebuild ``data.documents``; a record's ``holder`` (when it is not keyed by the
    holder's identity number) names whose document it is."""
    for registry, records in data.records.items():
        for key, rec in records.items():
            for doc in rec["documents"]:
                data.documents[f"{doc['type']}:{doc['number']}"] = {
                    **doc,
                    "registry": registry,
                    "holder": rec.get("holder", key),
                    "record_id": rec["record_id"],
                }
