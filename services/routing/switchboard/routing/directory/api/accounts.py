from fastapi import APIRouter

from switchboard.core.auth import AdminDep, AgentDep
from switchboard.core.openapi import refusals
from switchboard.core.runtime import DatabaseRuntimeDep
from switchboard.routing.directory.api.schemas import AccountRead, AccountUpdate
from switchboard.routing.directory.service import accounts
from switchboard.routing.errors import AccountNotFound

router = APIRouter(prefix="/v1/accounts", tags=["accounts"])


# An account is never deleted: its 404 would mean a token of an account this routing never had.
_GONE = refusals(AccountNotFound)


@router.get("/current", response_model=AccountRead, responses=_GONE)
async def get_current_account(caller: AgentDep, runtime: DatabaseRuntimeDep) -> AccountRead:
    """The caller's account with its routing settings."""
    return AccountRead.of(await accounts.get_account(runtime, account_id=caller.account_id))


@router.patch("/current", response_model=AccountRead, responses=_GONE)
async def update_current_account(
    body: AccountUpdate, admin: AdminDep, runtime: DatabaseRuntimeDep
) -> AccountRead:
    """Change the account's default capacity and offer and transfer timeouts (admins only)."""
    changes = body.model_dump(exclude_none=True)
    account = await accounts.update_account(runtime, account_id=admin.account_id, changes=changes)
    return AccountRead.of(account)
