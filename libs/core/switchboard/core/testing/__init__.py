"""What the suite's tests share: the pytest plugin (``plugin``) and helpers.

- ``eventually``: wait for what happens in the background, with a deadline.
- ``token_for`` and ``bearer``: call a service as somebody without logging in; ``Caller``:
  somebody with a token, whose ``headers`` carry it.
- ``SocketClient``: a client of the socket protocol.
- ``free_port``: a local port for a server a test starts, or one nobody listens on.
- ``serving``: a service app started in the test's process, with a client (``AppClient``)
  calling it; ``served``: a module's fixture of that.
- ``assert_method_not_allowed``: the 405 of a method a path does not have.
- ``a_conversation``: chat's conversation as its consumers hear it, made up.
- ``run_jobs``: a service's queued jobs, run by a burst worker until none is left.
- ``core_schema``: a throwaway schema with the outbox and processed-event tables.
- ``metric_value``: one sample of a /metrics exposition.
"""

from switchboard.core.testing._apps import AppClient, assert_method_not_allowed, served, serving
from switchboard.core.testing._chat import a_conversation
from switchboard.core.testing._jobs import run_jobs
from switchboard.core.testing._metrics import metric_value
from switchboard.core.testing._network import free_port
from switchboard.core.testing._schemas import core_schema
from switchboard.core.testing._sockets import Frame, SocketClient
from switchboard.core.testing._tokens import Caller, bearer, token_for
from switchboard.core.testing._waiting import eventually

__all__ = [
    "AppClient",
    "Caller",
    "Frame",
    "SocketClient",
    "a_conversation",
    "assert_method_not_allowed",
    "bearer",
    "core_schema",
    "eventually",
    "free_port",
    "metric_value",
    "run_jobs",
    "served",
    "serving",
    "token_for",
]
