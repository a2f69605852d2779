"""The warning ``serve`` (and the Lambda API) logs when the API is open to a network."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(auth_mode: str, host: str) -> str | None:
    """The warning to log when ``host`` is reachable from other machines and nobody is
    asked for a credential; None otherwise."""
    if auth_mode != "none" or is_loopback(host):
        return None
    return (
        f"AUTHENTICATION IS OFF and the API listens on {host}: anyone who can reach this "
        "address can use it (and spend your AI provider credit when AI is configured). "
        "Set AUTH_MODE=api_key (and create keys with `contract-analyzer keys create`) or "
        "AUTH_MODE=jwt, or listen on 127.0.0.1."
    )
