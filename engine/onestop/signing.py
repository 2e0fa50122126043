"""Digital signatures on e-results (chữ ký số trên kết quả điện tử): PAdES with pyHanko.

An e-result has the legal value of the paper one when it carries the digital signature of
the competent official (Law on Electronic Transactions 2023; Decree 130/2018/NĐ-CP on
digital signatures and certification services; Decree 45/2020/NĐ-CP, Art. 25 on
electronic results). Each signer is configured by the operator (``TOANTRINH_SIGNERS``, a
JSON file, docs/onestop.md): a PKCS#12 file with its passphrase in an environment
variable, or a PKCS#11 token (an HSM, a USB token, SoftHSM in tests) with its PIN in an
environment variable. The signature is PAdES (ETSI EN 319 142, ``ETSI.CAdES.detached``),
carries the signer's chain, and a time stamp when ``timestamp_url`` names an RFC 3161
service (PAdES B-T).

A signer whose certificate has expired, is not yet valid, is revoked (by the CRLs or OCSP
answers the configuration gives, or fetched when ``allow_fetching``) or does not chain to
a configured trust root is refused before anything is signed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509

# pyHanko (and python-pkcs11) are imported inside the functions that sign or validate:
# they take about half a second to load, which an app or a worker that never signs
# should not pay at start-up.

PADES_FIELD = "KetQuaDienTu"
T = TypeVar("T")


class SigningError(Exception):
    """The result cannot be signed now (token unreachable, TSA down): try again later."""


class SigningRefused(SigningError):
    """The signer may not sign: certificate expired, not yet valid, revoked, untrusted,
    or no signer is configured."""


@dataclass
class SignerConfig:
    """One signer: who, for which agency and actors, and where the key is."""

    id: str
    name: str
    agency: str
    title: str = ""
    # actors (``officer:<name>``) whose sign-step completion picks this signer; empty:
    # the agency's signer for every result of that agency
    actors: list[str] = field(default_factory=list)
    pkcs12: str | None = None
    passphrase_env: str | None = None
    pkcs11: dict[str, Any] | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "agency": self.agency,
            "key": "pkcs11" if self.pkcs11 else "pkcs12",
        }


def _read_certs(paths: Iterable[str]) -> list[asn1_x509.Certificate]:
    certs = []
    for path in paths:
        data = Path(path).read_bytes()
        if asn1_pem.detect(data):
            certs.extend(
                asn1_x509.Certificate.load(der)
                for _, _, der in asn1_pem.unarmor(data, multiple=True)
            )
        else:
            certs.append(asn1_x509.Certificate.load(data))
    return certs


def _read_crls(paths: Iterable[str]) -> list[bytes]:
    crls = []
    for path in paths:
        data = Path(path).read_bytes()
        if asn1_pem.detect(data):
            crls.extend(der for _, _, der in asn1_pem.unarmor(data, multiple=True))
        else:
            crls.append(data)
    return crls


@dataclass
class SigningSetup:
    """The signers and the trust the deployment validates signatures against."""

    signers: list[SignerConfig]
    trust_roots: list[str] = field(default_factory=list)
    crls: list[str] = field(default_factory=list)
    timestamp_url: str | None = None
    # fetch CRLs and OCSP answers named in certificates (production; needs the network)
    allow_fetching: bool = False
    test_ca: bool = False

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SigningSetup:
        try:
            spec = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise SigningRefused(f"không đọc được cấu hình người ký {path}: {err}") from err
        return cls.from_dict(spec)

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> SigningSetup:
        signers = [SignerConfig(**item) for item in spec.get("signers", [])]
        for signer in signers:
            if bool(signer.pkcs12) == bool(signer.pkcs11):
                raise SigningRefused(f"người ký {signer.id}: cần đúng một trong pkcs12 hoặc pkcs11")
        return cls(
            signers=signers,
            trust_roots=list(spec.get("trust_roots", [])),
            crls=list(spec.get("crls", [])),
            timestamp_url=spec.get("timestamp_url"),
            allow_fetching=bool(spec.get("allow_fetching", False)),
            test_ca=bool(spec.get("test_ca", False)),
        )

    @classmethod
    def from_env(cls) -> SigningSetup | None:
        path = os.environ.get("TOANTRINH_SIGNERS")
        return cls.load(path) if path else None

    def signer_for(self, agency: str | None, actor: str | None) -> SignerConfig | None:
        """The signer of the official who approved (``actor``), else the agency's own."""
        of_agency = [s for s in self.signers if s.agency == agency]
        for signer in of_agency:
            if actor and actor in signer.actors:
                return signer
        return next((s for s in of_agency if not s.actors), None)

    def validation_context(self, moment: datetime | None = None, *, for_signing: bool = False):
        """Trust roots, CRLs, and revocation checking: hard-fail when signing (a signer
        whose status is unknown does not sign), soft-fail for a signature kept for years
        whose CRL has since gone."""
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=_read_certs(self.trust_roots),
            crls=_read_crls(self.crls),
            allow_fetching=self.allow_fetching,
            revocation_mode="hard-fail" if for_signing else "soft-fail",
            moment=moment,
        )


# ------------------------------------------------------------------------- signers
def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``fn``, which runs pyHanko's coroutines with ``asyncio.run``, where that works.

    ``asyncio.run`` refuses to start inside a thread whose event loop is running (a
    worker's or a test harness's loop): there the call goes to a short-lived thread of its
    own, so signing never depends on who called it.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _passphrase(env: str | None) -> bytes | None:
    if not env:
        return None
    value = os.environ.get(env)
    if value is None:
        raise SigningRefused(f"chưa đặt biến môi trường {env} (mật khẩu khóa ký)")
    return value.encode("utf-8")


def load_signer(config: SignerConfig):
    """A pyHanko signer for ``config``. For PKCS#11 it holds an open, logged-in token
    session: the caller ends it with :func:`close_signer` (``sign_pdf`` does when it
    loads the signer itself)."""
    from pyhanko.sign import signers

    if config.pkcs12:
        try:
            signer = signers.SimpleSigner.load_pkcs12(
                config.pkcs12, passphrase=_passphrase(config.passphrase_env)
            )
        except OSError as err:
            raise SigningError(f"không đọc được tệp khóa của {config.id}: {err}") from err
        if signer is None:
            raise SigningRefused(f"tệp PKCS#12 của {config.id} sai mật khẩu hoặc hỏng")
        return signer
    return _pkcs11_signer(config)


# One PKCS#11 signing at a time in a process: a token's login is shared by every session
# the process opens on it (a second login fails, a logout ends them all).
_PKCS11_LOCK = threading.RLock()


def _pkcs11_signer(config: SignerConfig):
    """A signer on ``config``'s token, its certificate and key found now (so that a wrong
    label is told here, clearly, not as a crash half-way through signing)."""
    import pkcs11.exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as sign_pkcs11

    spec = dict(config.pkcs11 or {})
    if not spec.get("module"):
        raise SigningRefused(f"người ký {config.id}: thiếu pkcs11.module (thư viện PKCS#11)")
    if not (spec.get("key_label") or spec.get("cert_label")):
        raise SigningRefused(f"người ký {config.id}: thiếu pkcs11.key_label (nhãn khóa ký)")
    pin_env = spec.get("pin_env")
    pin = os.environ.get(pin_env) if pin_env else None
    if pin_env and pin is None:
        raise SigningRefused(f"chưa đặt biến môi trường {pin_env} (mã PIN của thiết bị ký)")
    label = spec.get("token_label")
    try:
        session = sign_pkcs11.open_pkcs11_session(
            spec["module"],
            slot_no=spec.get("slot"),
            token_criteria=TokenCriteria(label=label) if label else None,
            user_pin=pin,
        )
    except (p11.PinIncorrect, p11.PinLenRange) as err:
        # not retried: a token locks itself after a few wrong PINs
        raise SigningRefused(
            f"sai mã PIN của thiết bị ký của {config.id} (biến {pin_env})"
        ) from err
    except p11.PinLocked as err:
        raise SigningRefused(f"thiết bị ký của {config.id} đã khóa mã PIN") from err
    except Exception as err:  # the module, the slot, the token unplugged: try again later
        raise SigningError(
            f"không mở được thiết bị ký của {config.id}: {type(err).__name__} {err}"
        ) from err
    signer = sign_pkcs11.PKCS11Signer(
        session,
        key_label=spec.get("key_label"),
        cert_label=spec.get("cert_label") or spec.get("key_label"),
    )
    try:
        signer.signing_cert  # noqa: B018 - finds the certificate and the key on the token
    except Exception as err:
        close_signer(signer)
        raise SigningRefused(
            f"không tìm thấy khóa hoặc chứng thư số {spec.get('key_label') or spec.get('cert_label')!r}"
            f" trên thiết bị ký của {config.id}: {err}"
        ) from err
    return signer


def close_signer(signer) -> None:
    """End the token session of a PKCS#11 signer (logs out); nothing for a PKCS#12 one."""
    session = getattr(signer, "pkcs11_session", None)
    if session is not None:
        # already closed, or the token went away: nothing is held
        with contextlib.suppress(Exception):
            session.close()


def check_signer(setup: SigningSetup, signer, at: datetime | None = None) -> None:
    """Refuse a signer whose certificate is not good now: expired, not yet valid,
    revoked or not chained to a trust root (pyhanko-certvalidator)."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        InvalidCertificateError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    at = at or datetime.now(UTC)
    cert = signer.signing_cert
    if cert.not_valid_after <= at:
        raise SigningRefused(
            f"chứng thư số của người ký đã hết hạn ngày {cert.not_valid_after:%d/%m/%Y}"
        )
    if cert.not_valid_before > at:
        raise SigningRefused("chứng thư số của người ký chưa có hiệu lực")
    context = setup.validation_context(at, for_signing=True)
    intermediates = list(getattr(signer, "cert_registry", None) or [])
    validator = CertificateValidator(
        cert, intermediate_certs=intermediates, validation_context=context
    )
    try:
        off_loop(asyncio.run, validator.async_validate_usage({"non_repudiation"}))
    except RevokedError as err:
        raise SigningRefused(f"chứng thư số của người ký đã bị thu hồi: {err}") from err
    except (PathBuildingError, PathValidationError, InvalidCertificateError) as err:
        raise SigningRefused(f"chứng thư số của người ký không hợp lệ: {err}") from err


def sign_pdf(
    pdf: bytes,
    setup: SigningSetup,
    config: SignerConfig,
    *,
    reason: str,
    location: str = "",
    signer=None,
    timestamper=None,
) -> bytes:
    """``pdf`` with a PAdES signature of ``config``'s key (checked first)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    if signer is None and config.pkcs11:
        with _PKCS11_LOCK:
            signer = load_signer(config)
            try:
                return sign_pdf(
                    pdf,
                    setup,
                    config,
                    reason=reason,
                    location=location,
                    signer=signer,
                    timestamper=timestamper,
                )
            finally:
                close_signer(signer)
    signer = signer or load_signer(config)
    check_signer(setup, signer)
    if timestamper is None and setup.timestamp_url:
        timestamper = timestamps.HTTPTimeStamper(setup.timestamp_url, timeout=10)
    meta = signers.PdfSignatureMetadata(
        field_name=PADES_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=config.name,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    out = BytesIO()
    try:
        off_loop(signers.sign_pdf, writer, meta, signer=signer, timestamper=timestamper, output=out)
    except Exception as err:  # a token or a TSA that failed mid-way: nothing was kept
        raise SigningError(f"ký số không thành công: {err}") from err
    return out.getvalue()


# ---------------------------------------------------------------------- validation
@dataclass
class SignatureReport:
    """What the public verification says of a signed PDF."""

    signed: bool
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    revoked: bool = False
    covers_whole_file: bool = False
    modified_after_signing: bool = False
    signer: str | None = None
    signer_serial: str | None = None
    signed_at: str | None = None
    timestamped_at: str | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def validate_pdf(pdf: bytes, setup: SigningSetup) -> SignatureReport:
    """Validate the last signature of ``pdf`` against the configured trust: the bytes it
    covers are unchanged, it covers the whole file (nothing was added after), the
    signer's chain reaches a trust root and was not revoked."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as err:
        return SignatureReport(signed=False, problem=f"không đọc được tệp PDF: {err}")
    if not signatures:
        return SignatureReport(signed=False, problem="tệp không có chữ ký số")
    embedded = signatures[-1]
    try:
        status = off_loop(validate_pdf_signature, embedded, setup.validation_context())
    except Exception as err:  # a damaged signature container
        return SignatureReport(signed=True, problem=f"chữ ký số không đọc được: {err}")
    revocation = getattr(status, "revocation_details", None)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    cert = status.signing_cert
    report = SignatureReport(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=revocation is not None,
        covers_whole_file=whole,
        modified_after_signing=not whole,
        signer=cert.subject.human_friendly if cert else None,
        signer_serial=format(cert.serial_number, "x") if cert else None,
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        timestamped_at=(
            status.timestamp_validity.timestamp.isoformat() if status.timestamp_validity else None
        ),
    )
    report.problem = _problem(report)
    return report


def _problem(report: SignatureReport) -> str | None:
    if not report.intact:
        return "nội dung đã bị thay đổi sau khi ký"
    if not report.valid:
        return "chữ ký số không đúng"
    if report.revoked:
        return "chứng thư số của người ký đã bị thu hồi"
    if not report.trusted:
        return "chứng thư số của người ký không được tin cậy hoặc đã hết hạn"
    if not report.covers_whole_file:
        return "tệp đã được thêm nội dung sau khi ký"
    return None


def report_ok(report: SignatureReport) -> bool:
    return report.signed and report.problem is None
