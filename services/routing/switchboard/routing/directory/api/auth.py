from fastapi import APIRouter, Request, Response

from switchboard.core.auth import AgentDep
from switchboard.core.clients import client_address
from switchboard.core.errors import InvalidToken, SessionRevoked, TokenExpired
from switchboard.core.routes import answers, done, removes
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.directory.api.schemas import (
    LoginRequest,
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    TokenPairRead,
)
from switchboard.routing.directory.service import auth
from switchboard.routing.directory.service.auth import TokenPair
from switchboard.routing.errors import (
    AgentDeactivated,
    InvalidCredentials,
    LoginLocked,
    RefreshTokenReused,
    WrongPassword,
)

router = APIRouter(prefix="/v1/auth", tags=["auth"])


def _read(pair: TokenPair) -> TokenPairRead:
    return TokenPairRead(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )


@router.post("/login", **answers(TokenPairRead, InvalidCredentials, AgentDeactivated, LoginLocked))
async def login(body: LoginRequest, runtime: DatabaseRuntimeDep, request: Request) -> TokenPairRead:
    """Exchange an agent's email and password for an access and a refresh token. Attempts are
    limited per email and per address (429 rate_limited); after repeated failures the email
    is locked out for a while (429 login_locked), whatever the password."""
    address = client_address(request, runtime.settings)
    pair = await auth.login(runtime, email=body.email, password=body.password, address=address)
    return _read(pair)


@router.post(
    "/refresh",
    **answers(
        TokenPairRead,
        InvalidToken,
        TokenExpired,
        SessionRevoked,
        RefreshTokenReused,
        AgentDeactivated,
    ),
)
async def refresh_tokens(body: RefreshRequest, runtime: DatabaseRuntimeDep) -> TokenPairRead:
    """Exchange a refresh token (usable once) for a new pair of tokens. A spent refresh token
    presented again revokes every token of its login (401 refresh_token_reused)."""
    return _read(await auth.refresh(runtime, refresh_token=body.refresh_token))


@router.post("/logout", **removes())
async def logout(
    caller: AgentDep, runtime: DatabaseRuntimeDep, body: LogoutRequest | None = None
) -> Response:
    """End this login: its refresh token and access tokens stop working, its sockets close
    (``everywhere``: every session of the agent)."""
    everywhere = body.everywhere if body is not None else False
    await auth.logout(runtime, caller=caller, everywhere=everywhere)
    return done()


@router.put("/password", **answers(TokenPairRead, WrongPassword))
async def change_password(
    body: PasswordChange, caller: AgentDep, runtime: DatabaseRuntimeDep
) -> TokenPairRead:
    """Change the caller's password: every session of his ends, and this device gets a new
    pair of tokens."""
    pair = await auth.change_password(
        runtime,
        caller=caller,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    return _read(pair)
