"""Job callbacks: the URL check, the HMAC signature, and one delivery.

When a job with a ``callback_url`` finishes, its status document (the body of
``GET /jobs/{job_id}``) is POSTed there with these headers::

    Content-Type: application/json
    X-Contract-Analyzer-Event: job.succeeded            (or job.failed)
    X-Contract-Analyzer-Job-Id: <job_id>
    X-Contract-Analyzer-Delivery: <job_id>              (the same on every retry)
    X-Contract-Analyzer-Attempt: <1, 2, ...>
    X-Contract-Analyzer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>

``v1`` is ``HMAC-SHA256(CALLBACK_SECRET, "<t>." + raw body)`` in lower-case hex. A
receiver recomputes it over the raw bytes it received, compares in constant time, and
refuses a ``t`` more than five minutes from its clock (replays); :func:`verify` does
exactly that.

SSRF stance: the request schema accepts only ``http``/``https`` URLs with a host name
or IPv4 address, an optional port, no credentials (:data:`CALLBACK_URL_PATTERN`).
Where the URL leads is checked at every delivery: unless
``CALLBACK_ALLOW_PRIVATE_NETWORKS`` is on, the host must resolve only to public
addresses (loopback, private RFC 1918 and unique-local, link-local with the cloud
metadata address 169.254.169.254, carrier-grade NAT, multicast, reserved and
unspecified addresses are refused, and the callback is marked ``failed`` without a
retry), and the connection goes to the very address that was checked (no second
lookup that a DNS rebinding could answer differently). Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from contract_analyzer.version import ENGINE_NAME, __version__

if TYPE_CHECKING:
    from contract_analyzer.config import Settings

SIGNATURE_HEADER = "X-Contract-Analyzer-Signature"
EVENT_HEADER = "X-Contract-Analyzer-Event"
JOB_ID_HEADER = "X-Contract-Analyzer-Job-Id"
DELIVERY_HEADER = "X-Contract-Analyzer-Delivery"
ATTEMPT_HEADER = "X-Contract-Analyzer-Attempt"
SIGNATURE_TOLERANCE_SECONDS = 300
MAX_URL_LENGTH = 2048
_RETRYABLE_STATUSES = {408, 425, 429}


class CallbackURLError(ValueError):
    """A callback URL that is not acceptable (the message says why)."""


def sign(secret: bytes, body: bytes, timestamp: int | None = None) -> str:
    """The signature header value for ``body``: ``t=<unix>,v1=<hex>``."""
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def verify(
    secret: bytes,
    header: str,
    body: bytes,
    *,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether ``header`` (an ``X-Contract-Analyzer-Signature`` value) signs ``body``
    with ``secret`` and is at most ``tolerance`` seconds old or early."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        stamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - stamp) > tolerance:
        return False
    expected = hmac.new(secret, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))


def signing_configured(settings: Settings) -> bool:
    """A callback key is configured (directly, or by Secrets Manager ARN)."""
    return settings.callback_secret is not None or bool(settings.callback_secret_arn)


def signing_key(settings: Settings) -> bytes | None:
    """The callback key: ``CALLBACK_SECRET``, else the secret ``CALLBACK_SECRET_ARN``
    names (read once per process; a failure is logged by the caller and retried on the
    next delivery). Never logged."""
    if settings.callback_secret is not None:
        return settings.callback_secret.get_secret_value().encode()
    arn = settings.callback_secret_arn
    if not arn:
        return None
    from contract_analyzer.aws.secrets import read_secret

    return read_secret(arn, "callback_secret").encode()


# ---------------------------------------------------------------------- URL policy


def _blocked(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


CALLBACK_URL_PATTERN = (
    r"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?"
    r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}"
    r"|[1-9][0-9]{0,3}))?(?:[/?][!-~]*)?$"
)
"""The shape of an acceptable callback URL (the request schema states it): ``http`` or
``https``, a host name or IPv4 address, an optional port 1-65535, then a path or query
of printable ASCII. No credentials, no spaces."""
_CALLBACK_URL = re.compile(CALLBACK_URL_PATTERN)


def check_callback_url(url: str) -> str:
    """``url`` if it has the shape of a callback URL, else :class:`CallbackURLError`.
    Where it leads is checked at delivery (:func:`deliver`), after DNS resolution."""
    if len(url) > MAX_URL_LENGTH:
        raise CallbackURLError(f"the callback URL is longer than {MAX_URL_LENGTH} characters")
    if not url.startswith(("http://", "https://")):
        raise CallbackURLError("the callback URL must start with http:// or https://")
    if not _CALLBACK_URL.match(url):
        raise CallbackURLError(
            "the callback URL must be http(s)://host[:port][/path], with a host name or "
            "IPv4 address, no credentials and no spaces"
        )
    return url


# ---------------------------------------------------------------------- delivery


@dataclass(frozen=True)
class DeliveryResult:
    """``ok``: a 2xx answer. ``retry``: worth trying again later (network error,
    timeout, 5xx, 408, 425, 429). ``detail`` is a short reason for the job record."""

    ok: bool
    retry: bool
    detail: str
    status: int | None = None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to ``address``, with ``host`` in the ``Host`` header."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to ``address``, with ``host`` for SNI and certificate verification."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._tls = ssl.create_default_context()

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to: the first one the host resolves to, after checking
    every one of them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise OSError(f"{host} does not resolve")
    if not allow_private:
        for text in addresses:
            if _blocked(ipaddress.ip_address(text.split("%")[0])):
                raise CallbackURLError(f"{host} resolves to a non-public address")
    return addresses[0]


def deliver(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_private: bool,
) -> DeliveryResult:
    """POST ``body`` to ``url`` once (blocking; call it from a thread)."""
    try:
        check_callback_url(url)
        parts = urlsplit(url)
        host = parts.hostname or ""
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address = _resolve(host, port, allow_private)
    except CallbackURLError as exc:
        return DeliveryResult(False, False, f"refused: {exc}")
    except OSError as exc:
        return DeliveryResult(False, True, f"cannot resolve the host ({type(exc).__name__})")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection: http.client.HTTPConnection = (
        _PinnedHTTPSConnection(host, port, address, timeout)
        if https
        else _PinnedHTTPConnection(host, port, address, timeout)
    )
    sent = {
        "Content-Type": "application/json",
        "User-Agent": f"{ENGINE_NAME}/{__version__} (callback)",
        **headers,
    }
    try:
        connection.request("POST", path, body=body, headers=sent)
        response = connection.getresponse()
        response.read(65536)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return DeliveryResult(False, True, f"connection failed ({type(exc).__name__})")
    finally:
        connection.close()
    if 200 <= status < 300:
        return DeliveryResult(True, False, f"HTTP {status}", status)
    if 300 <= status < 400:
        return DeliveryResult(False, False, f"HTTP {status} (redirects are not followed)", status)
    retry = status >= 500 or status in _RETRYABLE_STATUSES
    return DeliveryResult(False, retry, f"HTTP {status}", status)


def retry_delay(attempt: int, base: float) -> float:
    """Seconds to wait before delivery ``attempt + 1``: ``base``, then three times
    longer each time, at most 15 minutes (SQS's longest delay)."""
    return float(min(900.0, base * 3 ** max(0, attempt - 1)))
