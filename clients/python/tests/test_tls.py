"""TLS: the clients connect to `mfad --tls-cert/--tls-key` (and `--tls-client-ca` for mutual TLS)."""
from __future__ import annotations

import asyncio
import ssl
import subprocess
from pathlib import Path

import pytest

from mfa_client import AsyncClient, Client, MFAConnectionError
from support import Mfad


def make_certificates(directory: Path) -> dict:
    """A throwaway CA, a server certificate for 127.0.0.1 and a client certificate (openssl CLI)."""
    (directory / "server.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    commands = [
        ["req", "-x509", *ec, "-days", "2", "-subj", "/CN=mfad test CA", "-keyout", "ca.key", "-out", "ca.pem"],
        ["req", *ec, "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"],
        ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
         "-extfile", "server.ext", "-out", "server.pem"],
        ["req", *ec, "-subj", "/CN=portal", "-keyout", "client.key", "-out", "client.csr"],
        ["x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
         "-out", "client.pem"],
    ]
    for command in commands:
        subprocess.run(["openssl", *command], cwd=directory, check=True, capture_output=True)
    return {name: str(directory / name) for name in ["ca.pem", "server.pem", "server.key", "client.pem", "client.key"]}


@pytest.fixture
def certificates(tmp_path):
    return make_certificates(tmp_path)


def test_blocking_and_async_clients_ping_over_tls(certificates):
    server = Mfad(extra_args=["--tls-cert", certificates["server.pem"], "--tls-key", certificates["server.key"]])
    try:
        context = ssl.create_default_context(cafile=certificates["ca.pem"])
        with Client(server.host, server.port, ssl_context=context, **server.credentials) as client:
            assert client.ping(payload=b"tls").payload == b"tls"

        async def async_ping():
            client = await AsyncClient.connect(server.host, server.port, ssl_context=context, **server.credentials)
            async with client:
                return (await client.ping(payload=b"async")).payload

        assert asyncio.run(async_ping()) == b"async"

        with pytest.raises(MFAConnectionError):
            Client(server.host, server.port, ssl_context=ssl.create_default_context(), **server.credentials)
    finally:
        server.stop()


def test_mutual_tls_needs_a_client_certificate(certificates):
    server = Mfad(extra_args=["--tls-cert", certificates["server.pem"], "--tls-key", certificates["server.key"],
                              "--tls-client-ca", certificates["ca.pem"]])
    try:
        context = ssl.create_default_context(cafile=certificates["ca.pem"])
        context.load_cert_chain(certificates["client.pem"], certificates["client.key"])
        with Client(server.host, server.port, ssl_context=context, **server.credentials) as client:
            assert client.ping(payload=b"m").payload == b"m"

        bare = ssl.create_default_context(cafile=certificates["ca.pem"])
        with pytest.raises(Exception):
            with Client(server.host, server.port, ssl_context=bare, timeout=5, **server.credentials) as client:
                client.ping(payload=b"x")
    finally:
        server.stop()
