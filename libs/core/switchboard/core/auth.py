"""Tokens and who is calling: JWTs issued by routing (agents) and chat (visitors).

Every service verifies tokens itself, so a service deployed alone is still closed. The
dependencies are FastAPI ``Security`` dependencies on one bearer scheme, each with the scope
that names who may call (``visitor``, ``agent``, ``supervisor``, ``admin``): every operation's
``security`` in the OpenAPI says who it is for.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict

from switchboard.contracts.values import Role
from switchboard.core.errors import Forbidden, InvalidToken, TokenExpired, Unauthorized
from switchboard.core.events import utcnow
from switchboard.core.sessions import Sessions
from switchboard.core.settings import Settings

__all__ = [
    "AdminDep",
    "AgentDep",
    "Principal",
    "PrincipalDep",
    "Role",
    "SupervisorDep",
    "VisitorDep",
    "check_session",
    "decode_token",
    "issue_token",
    "principal_from_token",
    "require_role",
]

_ALGORITHM = "HS256"
TokenType = Literal["access", "refresh", "visitor"]


class Principal(BaseModel):
    """The caller: an agent (with a role) or a visitor (with the inbox it writes to)."""

    # Frozen: one verified token's principal serves every request that carries it.
    model_config = ConfigDict(frozen=True)

    kind: Literal["agent", "visitor"]
    id: UUID
    account_id: UUID
    role: Role | None = None
    inbox_id: UUID | None = None
    # The session the token was issued under (see core.sessions).
    session_version: int = 0
    family: str | None = None

    def at_least(self, role: Role) -> bool:
        return self.role is not None and self.role.rank >= role.rank


def issue_token(
    settings: Settings,
    principal: Principal,
    *,
    token_type: TokenType,
    ttl_seconds: int,
    token_id: str | None = None,
) -> str:
    now = utcnow()
    claims: dict[str, Any] = {
        "sub": str(principal.id),
        "acc": str(principal.account_id),
        "kind": principal.kind,
        "typ": token_type,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "jti": token_id or uuid4().hex,
    }
    if principal.role is not None:
        claims["role"] = principal.role.value
    if principal.inbox_id is not None:
        claims["inbox"] = str(principal.inbox_id)
    claims["ver"] = principal.session_version
    if principal.family is not None:
        claims["fam"] = principal.family
    return jwt.encode(claims, settings.signing_secret(), algorithm=_ALGORITHM)


def decode_token(settings: Settings, token: str, *, expected: TokenType) -> dict[str, Any]:
    """The claims of a valid token of type ``expected``; ``Unauthorized`` otherwise."""
    return _claims(settings.signing_secret(), token, expected=expected)


def _claims(secret: str, token: str, *, expected: TokenType | None = None) -> dict[str, Any]:
    """The claims of a token signed with ``secret`` that has not expired, of type
    ``expected`` (by default the type its ``kind`` calls for: visitor or access)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[_ALGORITHM],
            options={"require": ["exp", "sub", "acc", "typ"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired() from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken() from exc
    if expected is None:
        expected = "visitor" if claims.get("kind") == "visitor" else "access"
    if claims.get("typ") != expected:
        raise InvalidToken(f"a {expected} token is required")
    return claims


def principal_from_token(settings: Settings, token: str) -> Principal:
    """Accept an agent access token or a visitor token (``Unauthorized`` otherwise)."""
    principal, expires_at = _verified(settings.signing_secret(), token)
    if time.time() >= expires_at:
        raise TokenExpired()
    return principal


# A client sends the same token on every request until it expires, and verifying one (base64,
# an HMAC, JSON, the claims) cost more of chat's CPU per message than any of its own code: a
# token is verified once per process, then only its expiry is checked. A token that fails is
# never kept (the exception passes through the cache); a new secret is a new key.
_VERIFIED_TOKENS = 4096


@lru_cache(maxsize=_VERIFIED_TOKENS)
def _verified(secret: str, token: str) -> tuple[Principal, float]:
    """The principal of a valid access or visitor token and when it expires (Unix time)."""
    claims = _claims(secret, token)
    try:
        principal = Principal(
            kind=claims["kind"],
            id=UUID(claims["sub"]),
            account_id=UUID(claims["acc"]),
            role=Role(claims["role"]) if "role" in claims else None,
            inbox_id=UUID(claims["inbox"]) if "inbox" in claims else None,
            session_version=int(claims.get("ver", 0)),
            family=claims.get("fam"),
        )
    except (KeyError, ValueError) as exc:
        raise InvalidToken() from exc
    return principal, float(claims["exp"])


async def check_session(sessions: Sessions, principal: Principal) -> Principal:
    """``principal`` when its session still holds (see core.sessions); ``Unauthorized`` else."""
    await sessions.check(principal.kind, principal.id, principal.session_version, principal.family)
    return principal


# auto_error=False: a missing token is refused below, in the suite's own error shape.
_bearer_scheme = HTTPBearer(
    scheme_name="bearer",
    bearerFormat="JWT",
    description=(
        "An agent's access token (POST /v1/auth/login) or a visitor's token (POST"
        " /v1/public/inboxes/{widget_token}/visitors). An operation's scopes name who may call"
        " it: visitor, or agent / supervisor / admin (that role or a higher one)."
    ),
    auto_error=False,
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# The dependencies are ``async def`` on purpose: a plain ``def`` dependency runs in a worker
# thread (a thread hand-off per request, measurable CPU), and these never block. Only the
# aliases at the bottom carry scopes: FastAPI adds up the scopes along a chain of Security
# dependencies, and the operation's ``security`` shows the sum.
async def current_principal(request: Request, credentials: Credentials) -> Principal:
    if credentials is None:
        raise Unauthorized()
    principal = principal_from_token(_settings(request), credentials.credentials)
    return await check_session(request.app.state.runtime.sessions, principal)


async def current_agent(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.kind != "agent":
        raise Forbidden("this path is for agents")
    return principal


async def current_visitor(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.kind != "visitor":
        raise Forbidden("this path is for visitors")
    return principal


def require_role(role: Role) -> Any:
    """A ``Security`` dependency: an agent of ``role`` or above (scope: the role's name)."""

    async def check(agent: Annotated[Principal, Depends(current_agent)]) -> Principal:
        if not agent.at_least(role):
            raise Forbidden(f"this needs the {role.value} role")
        return agent

    return Security(check, scopes=[role.value])


PrincipalDep = Annotated[Principal, Security(current_principal)]
AgentDep = Annotated[Principal, Security(current_agent, scopes=[Role.agent.value])]
VisitorDep = Annotated[Principal, Security(current_visitor, scopes=["visitor"])]
SupervisorDep = Annotated[Principal, require_role(Role.supervisor)]
AdminDep = Annotated[Principal, require_role(Role.admin)]
