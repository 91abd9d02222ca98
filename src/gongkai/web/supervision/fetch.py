"""Fetch a report from a URL a user typed, without letting the server be used against its own network (SSRF).

Only ``http``/``https``; the host is resolved here and every address it resolves to must be public (no private,
loopback, link-local, multicast, reserved or unspecified address, IPv4-mapped IPv6 included); the connection is
then made to that vetted address (the name is sent as ``Host`` and TLS SNI, the certificate checked against it),
so a second DNS answer cannot swap in an internal address. Redirects are followed by hand, each target vetted the
same way; the body is read in chunks up to a size limit within a time limit.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 20.0  # seconds, the whole fetch including redirects
MAX_REDIRECTS = 5
SCHEMES = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchRefused(Exception):
    """The URL is refused or could not be fetched; ``message`` is for the user (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str


def system_resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"无法解析域名 {host}") from exc
    return [info[4][0] for info in infos]


def is_public(ip: IP) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query
    ip: str


def vet(url: str, *, resolver: Resolver | None = None) -> Target:
    """The URL's parts and a public address to connect to, or :class:`FetchRefused`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("网址格式不正确") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise FetchRefused(f"只能读取 http 或 https 网址（不支持“{scheme or '无协议'}”）")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("网址缺少主机名")
    if parts.username or parts.password:
        raise FetchRefused("网址不能包含用户名或密码")
    port = port or SCHEMES[scheme]
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in (resolver or system_resolve)(host, port)]
    if not addresses:
        raise FetchRefused(f"无法解析域名 {host}")
    bad = [a for a in addresses if not is_public(a)]
    if bad:
        raise FetchRefused(f"拒绝访问内部网络地址（{host} → {bad[0]}）")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, path=path, ip=str(addresses[0]))


def _open(target: Target, timeout: float):  # type: ignore[no-untyped-def]
    """A response (not preloaded) from the vetted address; tests replace this function."""
    t = urllib3.Timeout(connect=min(timeout, 10.0), read=timeout)
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(target.ip, target.port, timeout=t, retries=False,
                                           server_hostname=target.host, assert_hostname=target.host,
                                           cert_reqs="CERT_REQUIRED")
    else:
        pool = urllib3.HTTPConnectionPool(target.ip, target.port, timeout=t, retries=False)
    default = SCHEMES[target.scheme] == target.port
    host = target.host if default else f"{target.host}:{target.port}"
    return pool.urlopen("GET", target.path, headers={"Host": host, "User-Agent": "gongkai-supervision/1.0",
                                                     "Accept": "*/*"},
                        redirect=False, retries=False, preload_content=False)


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT, max_redirects: int = MAX_REDIRECTS,
          resolver: Resolver | None = None) -> Fetched:
    deadline = time.monotonic() + timeout
    for _ in range(max_redirects + 1):
        target = vet(url, resolver=resolver)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchRefused("读取超时")
        try:
            resp = _open(target, left)
        except urllib3.exceptions.HTTPError as exc:
            raise FetchRefused(f"无法连接 {target.host}（{type(exc).__name__}）") from exc
        try:
            if resp.status in REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchRefused("重定向缺少目标地址")
                url = urljoin(url, location)
                continue
            if resp.status != 200:
                raise FetchRefused(f"服务器返回状态 {resp.status}")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchRefused(f"文件过大（{int(declared) // 1024} KB），超过上限 {max_bytes // 1024} KB")
            chunks, size = [], 0
            try:
                for chunk in resp.stream(64 * 1024):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchRefused(f"文件过大，超过上限 {max_bytes // 1024} KB")
                    if time.monotonic() > deadline:
                        raise FetchRefused("读取超时")
                    chunks.append(chunk)
            except urllib3.exceptions.HTTPError as exc:
                raise FetchRefused(f"读取中断（{type(exc).__name__}）") from exc
            return Fetched(url=url, data=b"".join(chunks), content_type=resp.headers.get("Content-Type", ""))
        finally:
            resp.release_conn()
    raise FetchRefused(f"重定向次数过多（超过 {max_redirects} 次）")
