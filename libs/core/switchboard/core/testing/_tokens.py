"""Tokens for calling a service as somebody without logging in."""

from __future__ import annotations

from switchboard.core.auth import Principal, TokenType, issue_token
from switchboard.core.settings import Settings

__all__ = ["Caller", "bearer", "token_for"]


def token_for(
    settings: Settings,
    principal: Principal,
    *,
    ttl_seconds: int = 600,
    token_type: TokenType | None = None,
) -> str:
    """A token of ``principal`` signed with the secret of ``settings``: a visitor token for a
    visitor, an access token for an agent, unless ``token_type`` says otherwise. A negative
    ``ttl_seconds`` gives a token that has already expired."""
    if token_type is None:
        token_type = "visitor" if principal.kind == "visitor" else "access"
    return issue_token(settings, principal, token_type=token_type, ttl_seconds=ttl_seconds)


def bearer(token: str) -> dict[str, str]:
    """The headers of a request made with ``token``."""
    return {"Authorization": f"Bearer {token}"}


class Caller:
    """Somebody who calls with a ``token`` (a field of the dataclass that derives from this):
    ``headers`` are those of a request made with it."""

    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)
