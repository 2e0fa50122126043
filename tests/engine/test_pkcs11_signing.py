"""Signing e-results with a key on a PKCS#11 token (issue 29, part 1), with SoftHSM.

A SoftHSM token of the test's own (``SOFTHSM2_CONF`` names a configuration whose token
directory is a temporary one) holds a signer's key, imported with ``softhsm2-util
--import`` as an operator would, and its certificate (a certificate object written with
python-pkcs11). The signer is configured with the keys docs/onestop.md documents
(``pkcs11.module``, ``token_label``, ``key_label``, ``pin_env``), a result PDF is signed
by ``signing.sign_pdf`` and checked by ``signing.validate_pdf``, the check the public
verification page runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from toantrinh.engine.onestop import signing
from toantrinh.engine.onestop.testca import DevelopmentCA

SOFTHSM_UTIL = shutil.which("softhsm2-util")
MODULE = next(
    (
        path
        for path in (
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/local/lib/softhsm/libsofthsm2.so",
        )
        if Path(path).exists()
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    SOFTHSM_UTIL is None or MODULE is None,
    reason="SoftHSM (softhsm2-util, libsofthsm2.so) is not installed; ./tt installs it",
)

TOKEN = "tt-stp"
PIN = "246810"
AGENCY = "Sở Tư pháp"


def _softhsm(*args: str) -> None:
    done = subprocess.run([SOFTHSM_UTIL, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def _put_on_token(folder: Path, issued, label: str, key_id: str) -> None:
    """The key with ``softhsm2-util --import`` (PKCS#8), the certificate with python-pkcs11."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    key_file = folder / f"{label}.pk8.pem"
    key_file.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    _softhsm(
        "--import", str(key_file), "--token", TOKEN, "--label", label, "--id", key_id, "--pin", PIN
    )
    key_file.unlink()
    token = pkcs11.lib(MODULE).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: bytes.fromhex(key_id),
                Attribute.SUBJECT: issued.cert.subject.public_bytes(),
                Attribute.VALUE: issued.cert.public_bytes(serialization.Encoding.DER),
            }
        )


@pytest.fixture(scope="session")
def token(tmp_path_factory):
    """A SoftHSM token with a good signer's key (``stp-seal``) and a revoked one's
    (``stp-revoked``); the operator's signers.json for each.

    Once per process: SoftHSM reads ``SOFTHSM2_CONF`` when the library is first loaded
    in a process, so a second configuration (a module fixture set up again when
    pytest-xdist interleaves modules) would not be seen."""
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\n"
        "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOFTHSM2_CONF", str(conf))
        _softhsm("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579")
        ca = DevelopmentCA()
        good = ca.issue(f"Lãnh đạo {AGENCY} (thử nghiệm PKCS#11)", AGENCY)
        revoked = ca.issue(f"Người ký bị thu hồi {AGENCY}", AGENCY)
        ca.revoke(revoked)
        _put_on_token(folder, good, "stp-seal", "01")
        _put_on_token(folder, revoked, "stp-revoked", "02")
        (folder / "ca.pem").write_bytes(ca.root.pem())
        (folder / "crl.pem").write_bytes(ca.crl().public_bytes(serialization.Encoding.PEM))

        def config(key_label: str) -> str:
            path = folder / f"signers-{key_label}.json"
            path.write_text(
                json.dumps(
                    {
                        "signers": [
                            {
                                "id": "stp-seal",
                                "name": AGENCY,
                                "agency": AGENCY,
                                "pkcs11": {
                                    "module": MODULE,
                                    "token_label": TOKEN,
                                    "key_label": key_label,
                                    "pin_env": "TT_PIN_STP",
                                },
                            }
                        ],
                        "trust_roots": [str(folder / "ca.pem")],
                        "crls": [str(folder / "crl.pem")],
                    },
                    ensure_ascii=False,
                ),
                "utf-8",
            )
            return str(path)

        yield {"config": config, "good": good}


@pytest.fixture
def pin(monkeypatch):
    monkeypatch.setenv("TT_PIN_STP", PIN)


def _result_pdf(number: int) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=f"<h1>Giấy xác nhận</h1><p>Kết quả giải quyết thủ tục hành chính số {number}</p>"
    ).write_pdf()


def _setup(token, key_label: str = "stp-seal"):
    setup = signing.SigningSetup.load(token["config"](key_label))
    config = setup.signer_for(AGENCY, None)
    assert config is not None and config.describe()["key"] == "pkcs11"
    return setup, config


def test_a_result_signed_on_the_token_validates_and_a_modified_one_does_not(token, pin):
    setup, config = _setup(token)
    # two results one after the other in one process, as the signing worker does: each
    # signing opens, logs in to and closes its own token session
    signed = [
        signing.sign_pdf(
            _result_pdf(n), setup, config, reason=f"Ký số kết quả {n}", location="Hà Nội"
        )
        for n in (1, 2)
    ]
    for pdf in signed:
        report = signing.validate_pdf(pdf, setup)
        assert signing.report_ok(report), report
        assert report.intact and report.trusted and report.covers_whole_file
        assert "PKCS#11" in report.signer
        assert report.signer_serial == format(token["good"].cert.serial_number, "x")
    assert signed[0] != signed[1]

    pdf = signed[0]
    tampered = bytearray(pdf)
    tampered[pdf.index(b"stream") + 20] ^= (
        0x01  # one bit of the page content, inside the signed bytes
    )
    report = signing.validate_pdf(bytes(tampered), setup)
    assert not signing.report_ok(report)
    assert not report.intact and report.problem == "nội dung đã bị thay đổi sau khi ký"

    appended = signing.validate_pdf(pdf + b"\n% appended after signing\n", setup)
    assert not signing.report_ok(appended) and appended.modified_after_signing


def test_a_wrong_pin_is_refused_clearly_and_the_right_one_still_signs(token, monkeypatch):
    setup, config = _setup(token)
    monkeypatch.setenv("TT_PIN_STP", "000000")
    with pytest.raises(signing.SigningRefused) as info:
        signing.sign_pdf(_result_pdf(3), setup, config, reason="Ký số")
    assert "sai mã PIN" in str(info.value) and "TT_PIN_STP" in str(info.value)
    assert PIN not in str(info.value) and "000000" not in str(info.value)

    monkeypatch.delenv("TT_PIN_STP")
    with pytest.raises(signing.SigningRefused, match="chưa đặt biến môi trường TT_PIN_STP"):
        signing.sign_pdf(_result_pdf(3), setup, config, reason="Ký số")

    monkeypatch.setenv("TT_PIN_STP", PIN)
    pdf = signing.sign_pdf(_result_pdf(3), setup, config, reason="Ký số")
    assert signing.report_ok(signing.validate_pdf(pdf, setup))


def test_a_key_label_not_on_the_token_is_refused_naming_it(token, pin):
    setup, config = _setup(token, "stp-missing")
    with pytest.raises(signing.SigningRefused, match="'stp-missing'"):
        signing.sign_pdf(_result_pdf(4), setup, config, reason="Ký số")
    # the refusal closed its session: the good key signs right after
    setup, config = _setup(token)
    assert signing.report_ok(
        signing.validate_pdf(signing.sign_pdf(_result_pdf(4), setup, config, reason="Ký số"), setup)
    )


def test_a_revoked_certificate_on_the_token_is_refused_before_signing(token, pin):
    setup, config = _setup(token, "stp-revoked")
    with pytest.raises(signing.SigningRefused, match="thu hồi"):
        signing.sign_pdf(_result_pdf(5), setup, config, reason="Ký số")


def test_a_token_that_is_not_there_is_a_retryable_error(token, pin):
    setup, config = _setup(token)
    config.pkcs11 = {**config.pkcs11, "token_label": "tt-absent"}
    with pytest.raises(signing.SigningError) as info:
        signing.sign_pdf(_result_pdf(6), setup, config, reason="Ký số")
    assert not isinstance(info.value, signing.SigningRefused)
    assert "không mở được thiết bị ký của stp-seal" in str(info.value)
