"""SSRF guard: an httpcore network backend that resolves the host, checks every address, then
connects to a checked IP, so a feed URL cannot reach loopback, private or metadata addresses.

The check happens where the socket is opened, so it holds for every redirect hop and cannot be
fooled by DNS answers that change between a pre-check and the connect (DNS rebinding). TLS still
verifies the certificate and sends SNI for the host name: httpcore calls start_tls with the origin
host, not with the IP we connected to.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64_PREFIXES = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
)
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class BlockedAddressError(Exception):
    """The host resolved to an address that feeds may not reach (loopback, private, ...)."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(f"{host} resolves to {address}, a {kind} address")
        self.host = host
        self.address = address
        self.kind = kind


class NameResolutionError(Exception):
    """The host name could not be resolved to any address."""

    def __init__(self, host: str) -> None:
        super().__init__(f"could not resolve {host}")
        self.host = host


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _own_kind(address: IPAddress) -> str | None:
    checks = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_private, "private-network"),
        (address.is_reserved, "reserved"),
        (not address.is_global, "non-public"),
    )
    return next((kind for is_blocked, kind in checks if is_blocked), None)


def blocked_kind(address: IPAddress) -> str | None:
    """Return why an address is off limits ("loopback", "private-network", ...), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            embedded_kind = _own_kind(embedded)
            if embedded_kind is not None:
                return embedded_kind
            if address.ipv4_mapped is not None or any(address in p for p in NAT64_PREFIXES):
                return None  # a translation of a public IPv4 address is as public as that one
    return _own_kind(address)


def literal_host_problem(host: str) -> str | None:
    """Without DNS: return why a host name or IP literal is off limits, or None if it may be ok."""
    bare = host.strip("[]").rstrip(".").lower()
    if bare in LOCAL_NAMES or bare.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        return None
    return blocked_kind(address)


async def resolve_host(host: str, port: int, timeout: float | None) -> list[str]:
    """Return the distinct addresses the host resolves to, in resolver order."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
    except (socket.gaierror, UnicodeError):
        raise NameResolutionError(host) from None
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        text = str(sockaddr[0])
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise NameResolutionError(host)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Network backend that refuses hosts resolving to any blocked address and dials checked IPs.

    allow_private turns the address check off (tests and the local demo); allowed_addresses lets
    a few exact IPs through while keeping the check on, so tests can serve from 127.0.0.1 and
    still prove that every other loopback or private target is refused.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowed_addresses: Iterable[str] = (),
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._allowed = frozenset(str(ipaddress.ip_address(a)) for a in allowed_addresses)
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()

    def check_addresses(self, host: str, addresses: Iterable[str]) -> None:
        """Raise BlockedAddressError if any address is off limits for this backend."""
        if self._allow_private:
            return
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if str(address) in self._allowed:
                continue
            kind = blocked_kind(address)
            if kind is not None:
                raise BlockedAddressError(host, str(address), kind)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve host, refuse it if any address is blocked, then connect to a checked IP."""
        addresses = await resolve_host(host, port, timeout)
        self.check_addresses(host, addresses)
        last_error: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                last_error = exc
        assert last_error is not None  # resolve_host never returns an empty list
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refuse: feeds are only ever fetched over TCP."""
        raise BlockedAddressError(path, path, "unix-socket")

    async def sleep(self, seconds: float) -> None:
        """Sleep using the wrapped backend."""
        await self._inner.sleep(seconds)
