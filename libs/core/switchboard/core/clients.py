"""Who is on the other end of a request: its address, seen through trusted proxies only.

The gateway appends the address it sees to ``X-Forwarded-For``; a service behind it, or a
gateway behind a load balancer, believes the header only from a peer listed in
``SB_TRUSTED_PROXIES``, and takes the last address not itself a trusted proxy. Anyone else is
counted under the address of the connection, so a forged header buys nothing.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from starlette.requests import HTTPConnection

from switchboard.core.settings import Settings

__all__ = ["client_address"]


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(connection: HTTPConnection, settings: Settings) -> str:
    peer = connection.client.host if connection.client else "unknown"
    networks = _networks(tuple(settings.trusted_proxies))
    if not _trusted(peer, networks):
        return peer
    forwarded = connection.headers.get("x-forwarded-for", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
