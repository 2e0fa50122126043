"""The seal on verification answers for e-results (xác thực kết quả điện tử).

An electronic result of a procedure has the legal value of the paper one (Law on
Electronic Transactions 2023; Decree 45/2020/NĐ-CP), and whoever is shown one — a bank,
another agency, an employer — must be able to check it without the holder's account:
its result code is looked up (``GET /api/v1/results/{code}``), and the answer says what
the document is, who issued it, whether it is in force, and the SHA-256 of its file or
data, without any personal data. That answer is signed with the deployment's Ed25519
key (``TOANTRINH_SEAL_KEY``, a PKCS#8 PEM file; ``toantrinh seal keygen`` makes one),
whose public half is published (``GET /api/v1/results/keys``, a JWK set), so that the
answer can be kept and checked later, offline, as an OCSP response is: "at ``checked_at``
the system that issued it said this".

This is the system's own attestation, not the agency's legal digital signature (chữ ký
số) under Decree 130/2018/NĐ-CP, which the issuing officer's certificate from a licensed
provider puts on the document itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import click
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"


class SealError(Exception):
    """The seal key cannot be read or made."""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(statement: dict[str, Any]) -> bytes:
    """The bytes that are signed: the statement as JSON with sorted keys, no spaces,
    UTF-8 (what a verifier recomputes from the answer's ``statement``)."""
    return json.dumps(statement, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


class Sealer:
    """Signs statements with one Ed25519 key."""

    def __init__(self, private_key: Ed25519PrivateKey):
        self._key = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.public_raw = raw
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    def seal(self, statement: dict[str, Any]) -> dict[str, str]:
        return {
            "alg": ALGORITHM,
            "kid": self.key_id,
            "signature": _b64url(self._key.sign(canonical(statement))),
        }

    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK (RFC 8037)."""
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64url(self.public_raw),
            "kid": self.key_id,
            "alg": ALGORITHM,
            "use": "sig",
        }


def verify(jwk: dict[str, str], statement: dict[str, Any], signature: str) -> bool:
    """Whether ``signature`` is ``jwk``'s over ``statement`` (what a verifier runs)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(_unb64url(jwk["x"]))
        key.verify(_unb64url(signature), canonical(statement))
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True


def generate(path: str | os.PathLike[str]) -> Sealer:
    """A new key in ``path`` (PKCS#8 PEM, readable by its owner only); an existing file
    is never overwritten."""
    path = Path(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as err:
        raise SealError(f"đã có tệp khóa {path}; không ghi đè") from err
    except OSError as err:
        raise SealError(f"không tạo được tệp khóa {path}: {err.strerror}") from err
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return Sealer(key)


def load(path: str | os.PathLike[str]) -> Sealer:
    """The key of a PEM file (PKCS#8, Ed25519, unencrypted)."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except OSError as err:
        raise SealError(f"không đọc được tệp khóa {path}: {err.strerror}") from err
    except (ValueError, TypeError) as err:
        raise SealError(f"tệp khóa {path} không phải khóa riêng PEM: {err}") from err
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError(f"tệp khóa {path} không phải khóa Ed25519")
    return Sealer(key)


def from_config(path: str | None) -> Sealer | None:
    """The sealer ``TOANTRINH_SEAL_KEY`` names, or none (answers go unsigned)."""
    return load(path) if path else None


# ---------------------------------------------------------------------------- CLI
@click.group("seal")
def seal_command() -> None:
    """Khóa ký các câu trả lời xác thực kết quả điện tử (TOANTRINH_SEAL_KEY)."""


@seal_command.command("keygen")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def keygen_cmd(path: Path) -> None:
    """Tạo khóa Ed25519 mới vào PATH (PEM, chỉ chủ sở hữu đọc được); in khóa công khai."""
    try:
        sealer = generate(path)
    except SealError as err:
        raise click.ClickException(str(err)) from err
    click.echo(json.dumps({"path": str(path), "public_key": sealer.public_jwk()}))


@seal_command.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def show_cmd(path: Path) -> None:
    """In khóa công khai (JWK) của tệp khóa PATH."""
    try:
        sealer = load(path)
    except SealError as err:
        raise click.ClickException(str(err)) from err
    click.echo(json.dumps({"path": str(path), "public_key": sealer.public_jwk()}))
