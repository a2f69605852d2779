"""What authentication and rate limiting cost per request (issue: auth). Prints its
figures; asserts nothing.

    python bench/auth_overhead.py [--calls 2000] [--requests 400] [--no-http] [--dynamodb]

1. In process, the checks alone (median microseconds per call): an API key checked
   against the SQLite store, JWTs (RS256 / ES256 from a cached JWKS, HS256), refusals,
   and the token-bucket limiter on one thread and contended by four.
2. Over HTTP, ``contract-analyzer serve`` on loopback with ``AUTH_MODE=none``, ``api_key``
   and ``jwt`` (HS256): p50/p99 latency of ``GET /detectors?analysis_type=gas`` on one
   keep-alive connection, so the difference between the modes is the middleware's cost
   (thread hop, key lookup or signature check, limiter, headers).
3. ``--dynamodb``: the DynamoDB limiter against moto on loopback (two conditional
   UpdateItem calls per request; moto's latency, not AWS's).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-shared-secret-of-at-least-32-bytes-for-hs256!"
BIG = {"bench": {"requests_per_minute": 1_000_000, "requests_per_day": 1_000_000_000}}


def median_us(fn: Callable[[], object], calls: int) -> float:
    samples = []
    for _ in range(calls):
        started = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000


def in_process(calls: int) -> None:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from jwt.algorithms import ECAlgorithm, RSAAlgorithm

    from contract_analyzer.auth.authenticator import Authenticator
    from contract_analyzer.auth.base import AuthError
    from contract_analyzer.auth.jwt_auth import JWKSCache, JWTVerifier
    from contract_analyzer.auth.keys import generate_key
    from contract_analyzer.auth.limiter import TokenBucketLimiter
    from contract_analyzer.auth.plans import Plan
    from contract_analyzer.auth.sqlite_store import SQLiteKeyStore

    plan = Plan("bench", 1_000_000, 1_000_000_000, True)
    rsa_private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_private = ec.generate_private_key(ec.SECP256R1())
    jwks = {
        "keys": [
            {
                **json.loads(RSAAlgorithm.to_jwk(rsa_private.public_key())),
                "kid": "r",
                "alg": "RS256",
            },
            {**json.loads(ECAlgorithm.to_jwk(ec_private.public_key())), "kid": "e", "alg": "ES256"},
        ]
    }
    cache = JWKSCache(
        "https://idp.example/jwks", fetch=lambda url, timeout: json.dumps(jwks).encode()
    )
    verifier = JWTVerifier(
        jwks=cache, hs256_secret=SECRET.encode(), issuer="https://idp.example/", audience="api"
    )
    now = int(time.time())
    claims = {"sub": "u", "iss": "https://idp.example/", "aud": "api", "exp": now + 3600}
    tokens = {
        "RS256": jwt.encode(claims, rsa_private, algorithm="RS256", headers={"kid": "r"}),
        "ES256": jwt.encode(claims, ec_private, algorithm="ES256", headers={"kid": "e"}),
        "HS256": jwt.encode(claims, SECRET, algorithm="HS256"),
    }
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteKeyStore(Path(folder) / "keys.sqlite3")
        key, record = generate_key("bench", "bench")
        store.create(record)
        for _ in range(200):  # a realistic table
            store.create(generate_key("other", "bench")[1])
        auth = Authenticator(
            "api_key_or_jwt", {"bench": plan}, "bench", key_store=store, verifier=verifier
        )
        wrong = key[:-4] + "AAAA"

        def refused(api_key: str | None, authorization: str | None) -> None:
            with contextlib.suppress(AuthError):
                auth.authenticate(api_key, authorization)

        rows = [
            ("API key, SQLite lookup + HMAC compare", lambda: auth.authenticate(key, None)),
            ("API key, wrong secret (refused)", lambda: refused(wrong, None)),
            ("API key, malformed (refused, no lookup)", lambda: refused("nope", None)),
        ]
        for alg, token in tokens.items():
            rows.append(
                (f"JWT {alg}", lambda token=token: auth.authenticate(None, f"Bearer {token}"))
            )
        rows.append(
            (
                "JWT, bad signature (refused)",
                lambda: refused(None, f"Bearer {tokens['HS256'][:-2]}xx"),
            )
        )
        limiter = TokenBucketLimiter()
        rows.append(("token bucket hit (1 thread)", lambda: limiter.hit("u", plan)))
        print("== in process: median microseconds per call")
        for label, fn in rows:
            fn()
            print(f"  {label:<44} {median_us(fn, calls):8.1f} us")

    limiter = TokenBucketLimiter()
    per_thread = calls * 5

    def spend() -> None:
        for _ in range(per_thread):
            limiter.hit("shared", plan)

    threads = [threading.Thread(target=spend) for _ in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    print(
        f"  {'token bucket, 4 threads on one user':<44} {4 * per_thread / seconds:8.0f} decisions/s"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    script = Path(sys.executable).with_name("contract-analyzer")
    process = subprocess.Popen(
        [str(script), "serve", "--port", str(port)],
        env={
            **os.environ,
            "CONTRACT_ANALYZER_ANALYSIS_WORKERS": "1",
            "CONTRACT_ANALYZER_ACCESS_LOG": "false",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def over_http(requests: int) -> None:
    import jwt

    print("== over HTTP: GET /detectors?analysis_type=gas, one keep-alive connection")
    with tempfile.TemporaryDirectory() as folder:
        base = {
            "CONTRACT_ANALYZER_DATA_DIR": folder,
            "PLANS": json.dumps(BIG),
            "CONTRACT_ANALYZER_DEFAULT_PLAN": "bench",
        }
        created = subprocess.run(
            [
                str(Path(sys.executable).with_name("contract-analyzer")),
                "keys",
                "create",
                "--name",
                "bench",
                "--json",
            ],
            env={**os.environ, **base},
            capture_output=True,
            text=True,
            check=True,
        )
        key = json.loads(created.stdout)["key"]
        token = jwt.encode(
            {"sub": "bench", "exp": int(time.time()) + 3600}, SECRET, algorithm="HS256"
        )
        modes = [
            ("none", {}, {}),
            ("api_key", {"AUTH_MODE": "api_key"}, {"X-API-Key": key}),
            (
                "jwt (HS256)",
                {"AUTH_MODE": "jwt", "JWT_HS256_SECRET": SECRET},
                {"Authorization": f"Bearer {token}"},
            ),
        ]
        with contextlib.ExitStack() as stack:
            # The three servers run at once and are asked in turn, so that whatever
            # else the machine is doing slows the three modes alike.
            ports = [stack.enter_context(server({**base, **env})) for _, env, _ in modes]
            connections = [http.client.HTTPConnection("127.0.0.1", p, timeout=10) for p in ports]
            samples: list[list[float]] = [[] for _ in modes]
            for number in range(requests + 50):
                for index, (label, _, headers) in enumerate(modes):
                    started = time.perf_counter()
                    connections[index].request(
                        "GET", "/detectors?analysis_type=gas", headers=headers
                    )
                    response = connections[index].getresponse()
                    response.read()
                    if response.status != 200:
                        raise SystemExit(f"{label}: HTTP {response.status}")
                    if number >= 50:
                        samples[index].append((time.perf_counter() - started) * 1000)
        baseline = statistics.median(samples[0])
        for (label, _, _), values in zip(modes, samples, strict=True):
            values.sort()
            p50 = statistics.median(values)
            p99 = values[int(len(values) * 0.99) - 1]
            extra = "" if label == "none" else f"   ({(p50 - baseline) * 1000:+.0f} us p50)"
            print(f"  AUTH_MODE={label:<14} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms{extra}")


def dynamodb(calls: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tests" / "auth"))
    from auth_helpers import AWS_ENV, create_table, moto_server

    from contract_analyzer.auth.dynamodb_limiter import DynamoDBRateLimiter
    from contract_analyzer.auth.plans import Plan

    with moto_server() as endpoint:
        os.environ.update({**AWS_ENV, "AWS_ENDPOINT_URL": endpoint})
        create_table(endpoint, "limits", "pk")
        limiter = DynamoDBRateLimiter("limits")
        plan = Plan("bench", 1_000_000, 1_000_000_000, False)
        limiter.hit("u", plan)
        print("== DynamoDB limiter against moto on loopback (not AWS latency)")
        print(
            f"  {'hit (2 conditional UpdateItem)':<44} {median_us(lambda: limiter.hit('u', plan), calls // 10):8.0f} us"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--dynamodb", action="store_true")
    args = parser.parse_args()
    in_process(args.calls)
    if not args.no_http:
        over_http(args.requests)
    if args.dynamodb:
        dynamodb(args.calls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
