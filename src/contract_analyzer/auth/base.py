"""What authentication produces (a :class:`Principal`) and how it refuses (:class:`AuthError`).

The messages are deliberately vague about *why* a credential was refused: a caller
learns that it is missing, or "invalid or expired", never which part was wrong (a
bad signature, an unknown key id, a wrong audience...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from contract_analyzer.auth.plans import Plan

PrincipalKind = Literal["api_key", "jwt"]

INVALID_MESSAGE = "The credential is invalid or expired."
REVOKED_MESSAGE = "This API key has been revoked."
UNAVAILABLE_MESSAGE = "Credentials cannot be checked right now; retry in a moment."
REALM = "contract-analyzer"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    ``user_id`` is what quotas are counted against: ``key:<key id>`` for an API key,
    ``sub:<subject>`` for a JWT. ``name`` is the key's name or the token's subject.
    """

    user_id: str
    kind: PrincipalKind
    name: str
    plan: Plan


class AuthError(Exception):
    """A request refused by authentication: 401 (missing or invalid credential), 403
    (a valid credential without access) or 503 (the credential store or the identity
    provider cannot be reached). ``str()`` never contains the credential."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        principal: Principal | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.principal = principal


class InvalidCredentialError(Exception):
    """Internal: the credential did not verify. Its message is for debugging only and
    is never shown to the caller (nor logged with the credential)."""


class CredentialBackendError(Exception):
    """Internal: the key store or the JWKS endpoint could not be reached."""
