"""The client's address, for the rate limit of the public form and the login lockout.

Behind a reverse proxy every request comes from the proxy's address; the client's is in ``X-Forwarded-For``. That
header is honoured only when the request comes from an address in ``GONGKAI_TRUSTED_PROXIES`` (addresses or
networks, comma-separated): anyone else could write any address into it and escape the limits. The header is read
from the right (the address the nearest proxy saw) past every trusted proxy; the first other address is the client.
"""
from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part, strict=False) for part in spec)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; None when the request carries none (a request built in code, a unix socket)."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(settings.GONGKAI_TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            return _valid(address) or remote  # junk in the header: the last proxy's address is all that is known
    return _valid(forwarded[0]) or remote if forwarded else remote
