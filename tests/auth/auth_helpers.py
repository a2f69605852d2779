"""Shared pieces of the auth tests: signing keys and tokens, a JWKS server on loopback,
a moto server, and a real ``contract-analyzer serve`` whose output can be read."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.server
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from service.service_helpers import console_script, free_port, http_request

MakeApp = Callable[..., tuple[Any, Any]]
"""The ``make_app`` fixture: ``make_app(**settings) -> (app, TestClient)``."""

ISSUER = "https://issuer.test/"
AUDIENCE = "contract-analyzer-api"
HS_SECRET = "a-shared-secret-of-at-least-32-bytes-for-hs256!"


# -- keys and tokens ----------------------------------------------------------------


@dataclass
class SigningKey:
    kid: str
    alg: str
    private: Any

    @property
    def public_jwk(self) -> dict[str, Any]:
        if self.alg == "RS256":
            jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        else:
            jwk = json.loads(ECAlgorithm.to_jwk(self.private.public_key()))
        return {**jwk, "kid": self.kid, "alg": self.alg, "use": "sig"}

    @property
    def public_pem(self) -> bytes:
        pem: bytes = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        headers = {"kid": self.kid, **header}
        return jwt.encode(claims, self.private, algorithm=self.alg, headers=headers)


_RSA_CACHE: dict[int, Any] = {}


def rsa_key(kid: str, number: int = 0) -> SigningKey:
    """RS256 key ``number`` (2048-bit keys are slow to make: each is made once per
    process and reused, so the same ``number`` is the same key)."""
    if number not in _RSA_CACHE:
        _RSA_CACHE[number] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(kid, "RS256", _RSA_CACHE[number])


def ec_key(kid: str) -> SigningKey:
    return SigningKey(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": "alice",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], payload: dict[str, Any], hmac_key: bytes | None) -> str:
    """A token built by hand (PyJWT refuses to make the malicious ones)."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    if hmac_key is None:
        return signing_input + "."
    signature = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def hs256(payload: dict[str, Any], secret: str = HS_SECRET) -> str:
    return jwt.encode(payload, secret, algorithm="HS256")


# -- a JWKS endpoint on loopback ------------------------------------------------------


@dataclass
class JWKSServer:
    """Serves ``keys`` as a JWKS document at ``url``; counts requests; can be slow."""

    keys: list[SigningKey] = field(default_factory=list)
    delay: float = 0.0
    status: int = 200
    requests: int = 0
    url: str = ""

    def document(self) -> bytes:
        return json.dumps({"keys": [k.public_jwk for k in self.keys]}).encode()


@contextlib.contextmanager
def jwks_server(*keys: SigningKey) -> Iterator[JWKSServer]:
    state = JWKSServer(keys=list(keys))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests += 1
            if state.delay:
                time.sleep(state.delay)
            body = state.document() if state.status == 200 else b"{}"
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# -- moto on loopback -----------------------------------------------------------------

AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto in server mode on a free loopback port; yields its endpoint URL."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def create_table(endpoint: str, name: str, key: str) -> None:
    import boto3

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


# -- a real server whose output we keep -----------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    saved: str | None = None

    def output(self) -> str:
        """What the server printed (kept after the server and its folder are gone)."""
        if self.saved is not None:
            return self.saved
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def serve(*args: str, **env: str) -> Iterator[Server]:
    """``contract-analyzer serve`` on a free port, up and answering /health on loopback;
    stdout and stderr go to a file the test can read (also after the server stopped)."""
    port = free_port()
    environment = {
        **os.environ,
        "CONTRACT_ANALYZER_ANALYSIS_WORKERS": "1",
        **env,
    }
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "serve.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [console_script(), "serve", "--port", str(port), *args],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server = Server(process, port, log_path)
        try:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(OSError):
                    if http_request(port, "GET", "/health")[0] == 200:
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not come up:\n{server.output()}")
                time.sleep(0.1)
            yield server
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            server.saved = server.output()


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [console_script(), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
