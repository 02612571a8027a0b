from fastapi import APIRouter

from switchboard.core.runtime import RuntimeDep
from switchboard.routing.api.schemas import LoginRequest, RefreshRequest, TokenPairRead
from switchboard.routing.service import auth
from switchboard.routing.service.auth import TokenPair

router = APIRouter(prefix="/v1/auth", tags=["auth"])


def _read(pair: TokenPair) -> TokenPairRead:
    return TokenPairRead(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )


@router.post("/login", response_model=TokenPairRead)
async def login(body: LoginRequest, runtime: RuntimeDep) -> TokenPairRead:
    """Exchange an agent's email and password for an access and a refresh token."""
    return _read(await auth.login(runtime, email=body.email, password=body.password))


@router.post("/refresh", response_model=TokenPairRead)
async def refresh_tokens(body: RefreshRequest, runtime: RuntimeDep) -> TokenPairRead:
    """Exchange a refresh token (usable once) for a new pair of tokens."""
    return _read(await auth.refresh(runtime, refresh_token=body.refresh_token))
