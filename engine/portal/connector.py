"""The National Public Service Portal (Cổng Dịch vụ công quốc gia) as an adapter.

What is published: Decree 42/2022/NĐ-CP and Decree 118/2025/NĐ-CP oblige a ministry's or
province's procedure information system to connect with the portal, to synchronise the
status of its dossiers (by the national procedure code and the dossier code) so that
citizens track them there, and to receive dossiers citizens submit there. The portal's
integration specification itself is handed to the connecting agency, not published.

The wire format of :class:`DvcqgConnector` follows what the open-source OpenCPS platform
(AGPL, VietOpenCPS/opencps-v2, ``DVCQGIntegrationActionImpl``) sends to the portal's
integration adapter, read 2026-12-07: a session from ``{adapter}{auth_endpoint}`` with
``username``/``password`` and the header ``dstcode``; then JSON calls to
``{adapter}{integration_endpoint}`` carrying ``session``, ``madonvi`` and ``service``:
``DongBoHoSoMC`` (a dossier: ``MaHoSo``, ``MaTTHC``, ``NgayTiepNhan``, ``NgayHenTra``,
``TrangThaiHoSo`` …, dates as ``yyyyMMddHHmmss`` in Vietnam's time) and
``CapNhatTienDoHoSoMC`` (a step: ``MaHoSo``, ``NguoiXuLy``, ``ThoiDiemXuLy``,
``NoiDungXuLy``, ``TrangThai``); answers carry ``error_code`` (0 = accepted). **Not
from any source and to be confirmed with the operator:** the service that hands over
dossiers submitted on the portal (``LayDanhSachHoSoMoi`` / ``XacNhanNhanHoSo`` here), the
numeric status codes (``data/portal_statuses.json``), and that a status push is
idempotent on the portal's side (the outbox may send one twice after a lost answer).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

import requests


class PortalError(Exception):
    """The portal did not accept a call; ``retryable`` unless it refused the content."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


@dataclass
class InboundDossier:
    """A dossier a citizen submitted on the portal."""

    portal_code: str
    procedure_code: str
    applicant_id: str | None
    data: dict[str, Any]


class PortalConnector(Protocol):
    name: str

    def push_dossier(self, record: dict[str, Any], updating: bool) -> None: ...

    def push_progress(self, record: dict[str, Any]) -> None: ...

    def new_dossiers(self) -> list[InboundDossier]: ...

    def acknowledge(self, portal_code: str, receipt_code: str) -> None: ...


class DvcqgConnector:
    """The portal's integration adapter over HTTP (``TOANTRINH_PORTAL_URL``,
    ``_PORTAL_USER``, ``_PORTAL_PASSWORD``, ``_PORTAL_AGENCY_CODE`` = madonvi,
    ``_PORTAL_DSTCODE``)."""

    name = "dvcqg"

    def __init__(
        self,
        adapter_url: str,
        username: str,
        password: str,
        agency_code: str,
        dstcode: str = "",
        auth_endpoint: str = "/auth",
        integration_endpoint: str = "/integration",
        timeout: float = 15.0,
        http: requests.Session | None = None,
    ):
        self.adapter_url = adapter_url.rstrip("/")
        self.username, self.password, self.agency_code = username, password, agency_code
        self.dstcode, self.timeout = dstcode, timeout
        self.auth_endpoint, self.integration_endpoint = auth_endpoint, integration_endpoint
        self.http = http or requests.Session()
        self._session: str | None = None

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.post(
                self.adapter_url + path,
                json=body,
                timeout=self.timeout,
                headers={"dstcode": self.dstcode},
            )
        except requests.RequestException as err:
            raise PortalError(f"Cổng DVCQG không trả lời: {err}") from err
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise PortalError(f"Cổng DVCQG đang lỗi (HTTP {response.status_code})")
        if response.status_code >= 400:
            raise PortalError(
                f"Cổng DVCQG từ chối (HTTP {response.status_code}): {response.text[:200]}",
                retryable=response.status_code == 401,
            )
        return response.json()

    def _login(self) -> str:
        answer = self._post(
            self.auth_endpoint, {"username": self.username, "password": self.password}
        )
        if int(answer.get("error_code", -1)) != 0 or not answer.get("session"):
            raise PortalError("Cổng DVCQG không cấp phiên làm việc (kiểm tra tài khoản kết nối)")
        self._session = answer["session"]
        return self._session

    def call(self, service: str, **fields: Any) -> dict[str, Any]:
        for attempt in (1, 2):
            session = self._session or self._login()
            answer = self._post(
                self.integration_endpoint,
                {"session": session, "madonvi": self.agency_code, "service": service, **fields},
            )
            code = int(answer.get("error_code", -1))
            if code == 0:
                return answer
            if code == 401 and attempt == 1:  # the session expired: log in again once
                self._session = None
                continue
            raise PortalError(
                f"Cổng DVCQG từ chối {service}: {answer.get('message') or code}", retryable=False
            )
        raise PortalError("Cổng DVCQG không chấp nhận phiên làm việc")

    def push_dossier(self, record: dict[str, Any], updating: bool) -> None:
        self.call("DongBoHoSoMC", isUpdating="True" if updating else "False", data=[record])

    def push_progress(self, record: dict[str, Any]) -> None:
        self.call("CapNhatTienDoHoSoMC", data=[record])

    def new_dossiers(self) -> list[InboundDossier]:
        answer = self.call("LayDanhSachHoSoMoi")
        return [
            InboundDossier(
                portal_code=item["MaHoSo"],
                procedure_code=item["MaTTHC"],
                applicant_id=item.get("SoDinhDanh") or None,
                data=dict(item.get("DuLieu") or {}),
            )
            for item in answer.get("result", [])
        ]

    def acknowledge(self, portal_code: str, receipt_code: str) -> None:
        self.call("XacNhanNhanHoSo", MaHoSo=portal_code, MaHoSoDiaPhuong=receipt_code)


def connector_from_env(config: dict[str, Any] | None = None) -> DvcqgConnector | None:
    def get(key: str, default: str = "") -> str:
        value = (config or {}).get(key)
        return str(value) if value is not None else os.environ.get(key, default)

    url = get("TOANTRINH_PORTAL_URL")
    if not url:
        return None
    return DvcqgConnector(
        url,
        get("TOANTRINH_PORTAL_USER", "toantrinh"),
        get("TOANTRINH_PORTAL_PASSWORD"),
        get("TOANTRINH_PORTAL_AGENCY_CODE", "000.00.00.H00"),
        dstcode=get("TOANTRINH_PORTAL_DSTCODE"),
    )
