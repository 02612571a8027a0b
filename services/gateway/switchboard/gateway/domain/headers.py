"""Which headers the REST front passes on, each way."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["HOP_BY_HOP", "request_headers", "response_headers"]

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
# Recomputed by the HTTP client or server of the next hop.
_RECOMPUTED = frozenset({"host", "content-length"})
# The client hands over the decoded body, so the upstream's encoding no longer applies.
_DECODED = frozenset({"content-encoding", "content-length"})
# Written by the gateway's own server: the upstream's would make a second Date header.
_OWN = frozenset({"date", "server"})


def _named_by_connection(headers: list[tuple[str, str]]) -> set[str]:
    named: set[str] = set()
    for name, value in headers:
        if name.lower() == "connection":
            named.update(token.strip().lower() for token in value.split(",") if token.strip())
    return named


# Set by the gateway's socket actions only: a client of the REST front cannot claim a socket
# request as the cause of an event.
_GATEWAY_ONLY = frozenset({"x-switchboard-origin"})


def request_headers(
    headers: Iterable[tuple[str, str]], *, client_host: str | None
) -> list[tuple[str, str]]:
    """The client's headers for the upstream, with ``X-Forwarded-For`` extended."""
    incoming = list(headers)
    drop = HOP_BY_HOP | _RECOMPUTED | _GATEWAY_ONLY | _named_by_connection(incoming)
    kept = [(n, v) for n, v in incoming if n.lower() not in drop and n.lower() != "x-forwarded-for"]
    forwarded = [v for n, v in incoming if n.lower() == "x-forwarded-for"]
    if client_host:
        forwarded.append(client_host)
    if forwarded:
        kept.append(("x-forwarded-for", ", ".join(forwarded)))
    return kept


def response_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The upstream's headers for the client."""
    incoming = list(headers)
    drop = HOP_BY_HOP | _DECODED | _OWN | _named_by_connection(incoming)
    return [(n, v) for n, v in incoming if n.lower() not in drop]
