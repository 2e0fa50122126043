"""A test certification authority for development and tests (never for real results).

Real e-results are signed with certificates from a licensed provider of public digital
signature services under the national root CA (Decree 130/2018/NĐ-CP; the Law on
Electronic Transactions 2023). For development, demonstrations and tests this module
makes a root CA, signer certificates (RSA 2048, key usage digital signature and
non-repudiation, as a signing certificate for documents has), PKCS#12 files holding each
signer's key and chain, a time-stamping certificate, and a CRL — so that a revoked or an
expired signer can be tested as well as a good one.

``toantrinh onestop test-ca DIR`` writes them and a ``signers.json`` that
``TOANTRINH_SIGNERS`` can name.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TEST_PASSPHRASE = "toantrinh-test"


def _name(common_name: str, organization: str) -> x509.Name:
    # X.520 caps both at 64 (cryptography counts UTF-8 bytes); an agency's name can be longer
    def cut(text: str) -> str:
        return text.encode("utf-8")[:64].decode("utf-8", "ignore")

    common_name, organization = cut(common_name), cut(organization)
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


class DevelopmentCA:
    """A root CA that issues signer and time-stamping certificates and CRLs."""

    def __init__(
        self,
        name: str = "Toàn Trình Test Root CA (không dùng thật)",
        crl_url: str = "http://127.0.0.1/toantrinh-test-ca.crl",
    ):
        # certificates name where their CRL is, as real ones do: a validator checks the
        # revocation of a certificate that says where to look (the CRL itself is given to
        # it from a file, nothing is fetched unless allow_fetching)
        self.crl_url = crl_url
        key = _key()
        now = datetime.now(UTC)
        subject = _name(name, "Toàn Trình — thử nghiệm")
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        self.root = Issued(cert, key)
        self.revoked: dict[int, datetime] = {}

    def issue(
        self,
        common_name: str,
        organization: str,
        *,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        time_stamping: bool = False,
    ) -> Issued:
        """A certificate for a signer (or, with ``time_stamping``, for a TSA)."""
        key = _key()
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organization))
            .issuer_name(self.root.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=not time_stamping,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()),
                False,
            )
        )
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(self.crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            False,
        )
        if time_stamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        return Issued(builder.sign(self.root.key, hashes.SHA256()), key)

    def revoke(self, issued: Issued, at: datetime | None = None) -> None:
        self.revoked[issued.cert.serial_number] = at or datetime.now(UTC) - timedelta(minutes=1)

    def crl(self) -> x509.CertificateRevocationList:
        now = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.cert.subject)
            .last_update(now - timedelta(minutes=5))
            .next_update(now + timedelta(days=7))
            .add_extension(x509.CRLNumber(len(self.revoked) + 1), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()),
                False,
            )
        )
        for serial, at in self.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build()
            )
        return builder.sign(self.root.key, hashes.SHA256())

    def pkcs12(self, issued: Issued, passphrase: str = TEST_PASSPHRASE) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            f"toantrinh-{issued.cert.serial_number:x}".encode("ascii"),
            issued.key,
            issued.cert,
            [self.root.cert],
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        )


def write_test_ca(folder: str | os.PathLike[str], agencies: list[str] | None = None) -> dict:
    """A test CA in ``folder``: ``ca.pem``, ``crl.pem``, one ``<id>.p12`` per signer (the
    passphrase is :data:`TEST_PASSPHRASE`, given through ``TOANTRINH_TEST_P12_PASSPHRASE``)
    and ``signers.json``; returns that configuration."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ca = DevelopmentCA()
    (folder / "ca.pem").write_bytes(ca.root.pem())
    signers = []
    for index, agency in enumerate(agencies or ["Sở Tư pháp"], start=1):
        issued = ca.issue(f"Lãnh đạo {agency} (thử nghiệm)", agency)
        path = folder / f"signer-{index}.p12"
        path.write_bytes(ca.pkcs12(issued))
        os.chmod(path, 0o600)
        signers.append(
            {
                "id": f"signer-{index}",
                "name": f"Lãnh đạo {agency} (thử nghiệm)",
                "title": "Giám đốc",
                "agency": agency,
                "pkcs12": str(path),
                "passphrase_env": "TOANTRINH_TEST_P12_PASSPHRASE",
            }
        )
    (folder / "crl.pem").write_bytes(ca.crl().public_bytes(serialization.Encoding.PEM))
    config = {
        "signers": signers,
        "trust_roots": [str(folder / "ca.pem")],
        "crls": [str(folder / "crl.pem")],
        "test_ca": True,
    }
    (folder / "signers.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), "utf-8")
    return config
