"""An error class names its code and status and gives its message; a raise may say more."""

import httpx
from fastapi import FastAPI

from switchboard.core.errors import InvalidCursor, SessionRevoked, install_error_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/cursor")
    async def cursor() -> None:
        raise InvalidCursor()

    @app.get("/revoked")
    async def revoked() -> None:
        raise SessionRevoked("this login has ended", details={"family": "f1"})

    return app


async def test_the_class_gives_code_status_and_message_and_a_raise_says_more() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        cursor, revoked = await http.get("/cursor"), await http.get("/revoked")
    assert cursor.status_code == 400
    assert cursor.json() == {
        "error": {"code": "invalid_cursor", "message": "the cursor is not valid", "details": None}
    }
    assert revoked.status_code == 401
    assert revoked.json() == {
        "error": {
            "code": "session_revoked",
            "message": "this login has ended",
            "details": {"family": "f1"},
        }
    }
