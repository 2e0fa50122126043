"""An S3-compatible service over real HTTP for the tests of the file store: moto's
server (as MinIO or a cloud's object storage would answer), and a fresh bucket per test
with the environment an app or engine reads it from."""

from __future__ import annotations

import socket
import uuid

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch) -> str:
    """A new bucket; ``TOANTRINH_S3_ENDPOINT_URL`` and the credentials point at it."""
    boto3 = pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "toantrinh-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "toantrinh-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("TOANTRINH_S3_ENDPOINT_URL", s3_endpoint)
    name = f"tt-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name
