"""HTTP adapters for the national databases (kết nối cơ sở dữ liệu quốc gia).

One adapter class per database of the catalogue. Each is configured the way a deployment
configures a real connection — a base URL, an API key and a timeout — and speaks the
registry API documented in ``docs/registries.md`` (served locally by
:mod:`toantrinh.sandbox.app`). What an adapter supplies (fields and document types)
is read from ``data/registries.json``, never hard-coded.

Operations (``<registry>.<operation>`` in a BPMN service task):

``lookup``  by the registry's key (``identity_number``, ``enterprise_code`` …) → the
            record's fields at the top level plus ``registry``, ``found``, ``documents``
            and ``provenance`` (registry, record id, fetched_at)
``verify``  a document number → ``{"valid", "status", "reason", "document", "provenance"}``
``describe`` what the registry supplies (no network).

A lookup given ``if_not_found="empty"`` (a service task's optional lookup, declared with
that parameter in the model) answers a 404 with an empty result (``found: False``, no
fields) instead of an error: the form's pre-filled fields stay empty and are typed by the
applicant. Any other failure (unreachable, timeout, 5xx, 401/403) is raised as usual.

Failures become :class:`~toantrinh.engine.connectors.ConnectorError`: unreachable, timing out or
answering 5xx → ``retryable=True`` (after a bounded retry with exponential backoff on
connection errors and 5xx); 404 and other 4xx → ``retryable=False``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests

from toantrinh.engine.connectors import ConnectorError
from toantrinh.engine.registries.catalog import Catalog, RegistryEntry, load_catalog

#: What an optional lookup does when the registry holds no record (``if_not_found``).
IF_NOT_FOUND = ("error", "empty")


class HttpRegistryConnector:
    """Base adapter: one national database reached over HTTP."""

    id: ClassVar[str] = ""
    #: Lookup keys accepted, in order of preference (the first one present is used).
    lookup_keys: ClassVar[tuple[str, ...]] = ("identity_number",)

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.2,
        catalog: Catalog | None = None,
        session: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.entry: RegistryEntry = (catalog or load_catalog()).registry(self.id)
        self.http = session or requests.Session()

    # -- what the registry supplies -------------------------------------------------------
    @property
    def name(self) -> str:
        return self.entry.name_vi

    @property
    def fields(self) -> tuple[str, ...]:
        return self.entry.fields

    @property
    def document_types(self) -> tuple[str, ...]:
        return self.entry.document_types

    # -- Connector protocol ---------------------------------------------------------------
    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if operation == "lookup":
            return self.lookup(**params)
        if operation == "verify":
            return self.verify(**params)
        if operation == "describe":
            return self.describe()
        raise ConnectorError(
            f"{self.name} không có thao tác '{operation}'",
            operation=f"{self.id}.{operation}",
            retryable=False,
        )

    def describe(self) -> dict[str, Any]:
        return {
            "registry": self.id,
            "name": self.name,
            "fields": list(self.fields),
            "document_types": list(self.document_types),
            "lookup_keys": list(self.lookup_keys),
        }

    def lookup(self, **params: Any) -> dict[str, Any]:
        """Fetch one record by key; only the fields the catalogue declares are returned.

        ``if_not_found``: ``"error"`` (default) raises on a 404; ``"empty"`` returns
        :meth:`not_found` (an optional lookup: nothing to pre-fill, not a failure).
        """
        if_not_found = params.pop("if_not_found", None) or "error"
        if if_not_found not in IF_NOT_FOUND:
            raise ConnectorError(
                f"Tham số if_not_found của {self.id}.lookup phải là 'error' hoặc 'empty', "
                f"không phải {if_not_found!r}",
                operation=f"{self.id}.lookup",
                retryable=False,
            )
        key_name = next((k for k in self.lookup_keys if params.get(k) not in (None, "")), None)
        if key_name is None:
            raise ConnectorError(
                f"Thiếu khóa tra cứu {self.name}: cần một trong {', '.join(self.lookup_keys)}",
                operation=f"{self.id}.lookup",
                retryable=False,
            )
        key_value = str(params[key_name]).strip()
        body = self._get(
            "/records",
            {key_name: key_value},
            operation="lookup",
            not_found=f"Không tìm thấy thông tin {key_name}={key_value} trong {self.name}",
            missing_ok=if_not_found == "empty",
        )
        if body is None:
            return self.not_found()
        fields = {k: v for k, v in body.get("fields", {}).items() if k in self.fields}
        documents = [d for d in body.get("documents", []) if d.get("type") in self.document_types]
        # Fields sit at the top level so that a form's ``x-prefill`` finds them at
        # ``<resultVariable>.<field>`` (docs/forms.md); no vocabulary field uses the names
        # of the four envelope keys.
        return {
            **fields,
            "registry": self.id,
            "found": True,
            "documents": documents,
            "provenance": self._provenance(body.get("record_id"), body.get("updated_at")),
        }

    def not_found(self) -> dict[str, Any]:
        """The answer of an optional lookup that found no record: the envelope, no fields."""
        return {
            "registry": self.id,
            "found": False,
            "documents": [],
            "provenance": self._provenance(None, None),
        }

    def verify(
        self, document_type: str, number: str, identity_number: str | None = None, **_: Any
    ) -> dict[str, Any]:
        """Ask the registry whether a document number is genuine, in force and the holder's."""
        if document_type not in self.document_types:
            raise ConnectorError(
                f"{self.name} không quản lý loại giấy tờ '{document_type}'",
                operation=f"{self.id}.verify",
                retryable=False,
            )
        query = {"document_type": document_type, "number": str(number).strip()}
        if identity_number:
            query["identity_number"] = str(identity_number)
        body = self._get(
            "/documents/verify",
            query,
            operation="verify",
            not_found=f"{self.name} không có dịch vụ xác thực giấy tờ",
        )
        document = body.get("document")
        return {
            "registry": self.id,
            "valid": bool(body.get("valid")),
            "status": body.get("status", ""),
            "reason": body.get("reason", ""),
            "document": document,
            "provenance": self._provenance(document.get("record_id") if document else None, None),
        }

    # -- transport ------------------------------------------------------------------------
    def _provenance(self, record_id: str | None, updated_at: str | None) -> dict[str, Any]:
        return {
            "registry": self.id,
            "registry_name": self.name,
            "record_id": record_id,
            "source_updated_at": updated_at,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    def _get(
        self,
        path: str,
        query: dict[str, str],
        *,
        operation: str,
        not_found: str,
        missing_ok: bool = False,
    ) -> dict | None:
        """The registry's JSON answer; ``None`` for a 404 when ``missing_ok``."""
        url = f"{self.base_url}/api/v1/{self.id}{path}"
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        op = f"{self.id}.{operation}"
        attempt = 0
        while True:
            try:
                response = self.http.get(url, params=query, headers=headers, timeout=self.timeout)
            except requests.Timeout as err:
                # A slow registry is not retried here: the dossier keeps its place and the
                # worker retries later, instead of holding a request for retries × timeout.
                raise ConnectorError(
                    f"{self.name} không phản hồi trong {self.timeout:g} giây; "
                    "hồ sơ được giữ nguyên để thử lại sau",
                    operation=op,
                    retryable=True,
                ) from err
            except requests.ConnectionError as err:
                if attempt < self.retries:
                    self._sleep(attempt)
                    attempt += 1
                    continue
                raise ConnectorError(
                    f"Không kết nối được {self.name} ({self.base_url}); "
                    "hệ thống đang gián đoạn, vui lòng thử lại sau",
                    operation=op,
                    retryable=True,
                ) from err
            except requests.RequestException as err:
                raise ConnectorError(
                    f"Lỗi khi gọi {self.name}: {err}", operation=op, retryable=True
                ) from err
            status = response.status_code
            if status >= 500:
                if attempt < self.retries:
                    self._sleep(attempt)
                    attempt += 1
                    continue
                raise ConnectorError(
                    f"{self.name} đang lỗi (HTTP {status}) sau {attempt + 1} lần thử; "
                    "vui lòng thử lại sau",
                    operation=op,
                    retryable=True,
                )
            if status == 404:
                if missing_ok:
                    return None
                raise ConnectorError(not_found, operation=op, retryable=False)
            if status in (401, 403):
                raise ConnectorError(
                    f"{self.name} từ chối khóa truy cập (HTTP {status}); kiểm tra cấu hình API key",
                    operation=op,
                    retryable=False,
                )
            if status >= 400:
                raise ConnectorError(
                    f"{self.name} từ chối yêu cầu (HTTP {status}): {_detail(response)}",
                    operation=op,
                    retryable=False,
                )
            try:
                return response.json()
            except ValueError as err:
                raise ConnectorError(
                    f"{self.name} trả về dữ liệu không phải JSON", operation=op, retryable=True
                ) from err

    def _sleep(self, attempt: int) -> None:
        time.sleep(self.backoff * (2**attempt))


def _detail(response: requests.Response) -> str:
    try:
        return str(response.json().get("detail", ""))
    except ValueError:
        return response.text[:200]


class PopulationConnector(HttpRegistryConnector):
    """CSDL quốc gia về dân cư (Bộ Công an): identity, residence, household, parents."""

    id = "population"


class CivilStatusConnector(HttpRegistryConnector):
    """CSDL hộ tịch điện tử (Bộ Tư pháp): births, marriages, deaths."""

    id = "civil_status"
    lookup_keys = ("identity_number", "birth_registration_number", "marriage_registration_number")


class BusinessRegistrationConnector(HttpRegistryConnector):
    """CSDL quốc gia về đăng ký doanh nghiệp: enterprises and household businesses."""

    id = "business_registration"
    lookup_keys = ("enterprise_code", "household_business_code", "tax_code")


class LandConnector(HttpRegistryConnector):
    """CSDL quốc gia về đất đai: parcels, land users, land-use certificates."""

    id = "land"
    lookup_keys = ("identity_number", "land_certificate_number")


class SocialInsuranceConnector(HttpRegistryConnector):
    """CSDL quốc gia về bảo hiểm (BHXH Việt Nam): insurance numbers, cards, contributions."""

    id = "social_insurance"
    lookup_keys = ("identity_number", "social_insurance_number", "health_insurance_card_number")


class DrivingLicenceConnector(HttpRegistryConnector):
    """CSDL giấy phép lái xe (Bộ Công an)."""

    id = "driving_licences"
    lookup_keys = ("identity_number", "driving_licence_number")


class VehicleConnector(HttpRegistryConnector):
    """CSDL đăng ký, kiểm định phương tiện."""

    id = "vehicles"
    lookup_keys = ("identity_number", "vehicle_plate", "vehicle_frame_number")


class JudicialRecordConnector(HttpRegistryConnector):
    """CSDL lý lịch tư pháp (Bộ Tư pháp): convictions."""

    id = "judicial_records"


class HealthConnector(HttpRegistryConnector):
    """CSDL y tế: health certificates, birth notices, death notices."""

    id = "health"


class TaxConnector(HttpRegistryConnector):
    """CSDL quốc gia về tài chính (thuế): tax codes."""

    id = "tax"
    lookup_keys = ("identity_number", "tax_code")


class EducationConnector(HttpRegistryConnector):
    """CSDL văn bằng, chứng chỉ (Bộ Giáo dục và Đào tạo)."""

    id = "education"
    lookup_keys = ("identity_number", "diploma_number")


ADAPTERS: dict[str, type[HttpRegistryConnector]] = {
    cls.id: cls
    for cls in (
        PopulationConnector,
        CivilStatusConnector,
        BusinessRegistrationConnector,
        LandConnector,
        SocialInsuranceConnector,
        DrivingLicenceConnector,
        VehicleConnector,
        JudicialRecordConnector,
        HealthConnector,
        TaxConnector,
        EducationConnector,
    )
}


# -- Databases the most-used procedures read (issue 25, item 10) ----------------------------


class LandTransactionConnector(HttpRegistryConnector):
    """CSDL công chứng (Bộ Tư pháp): notarised land contracts — transfer, gift, mortgage."""

    id = "land_transactions"
    lookup_keys = ("notarial_contract_number", "land_certificate_number")


class UnemploymentInsuranceConnector(HttpRegistryConnector):
    """CSDL quốc gia về bảo hiểm, bảo hiểm thất nghiệp: contributions, end of employment."""

    id = "unemployment_insurance"
    lookup_keys = ("identity_number", "social_insurance_number")


class ExamCandidateConnector(HttpRegistryConnector):
    """Hệ thống quản lý thi tốt nghiệp THPT và tuyển sinh (Bộ Giáo dục và Đào tạo)."""

    id = "exam_candidates"


class TrafficViolationConnector(HttpRegistryConnector):
    """CSDL xử lý vi phạm hành chính về giao thông đường bộ (Bộ Công an): camera detections."""

    id = "traffic_violations"
    lookup_keys = ("vehicle_plate", "identity_number")


class RoadTransportConnector(HttpRegistryConnector):
    """CSDL vận tải đường bộ (Bộ Xây dựng): transport licences, journey-monitoring data."""

    id = "road_transport"
    lookup_keys = ("enterprise_code", "transport_licence_number", "vehicle_plate")


ADAPTERS.update(
    {
        cls.id: cls
        for cls in (
            LandTransactionConnector,
            UnemploymentInsuranceConnector,
            ExamCandidateConnector,
            TrafficViolationConnector,
            RoadTransportConnector,
        )
    }
)
