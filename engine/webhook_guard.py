"""Where a webhook may be delivered, and delivering it only there (SSRF guard).

A webhook URL is chosen by an administrator through the API, so it must not reach what
sits beside the server: the database, Redis, the sandbox registries, a cloud's metadata
service, the provincial intranet. A target is checked on its *addresses*, after name
resolution, both when the subscription is made and at every delivery; the delivery then
connects to exactly the address it checked (a name that resolves to a public address at
the check and to 127.0.0.1 a moment later — DNS rebinding — cannot slip through), and
follows no redirect.

Refused unless the operator allows them (``TOANTRINH_WEBHOOK_ALLOW``): loopback,
private (RFC 1918, unique-local IPv6), link-local (169.254.0.0/16 with the cloud
metadata address 169.254.169.254, fe80::/10), multicast, unspecified (0.0.0.0, ::),
shared (100.64.0.0/10), reserved and documentation ranges — everything Python's
:mod:`ipaddress` does not call global —, and the cloud metadata addresses
(AWS ``fd00:ec2::254``, Alibaba ``100.100.100.200``). IPv4 written as IPv6 (mapped
``::ffff:127.0.0.1``, 6to4 ``2002:7f00:1::``, NAT64 ``64:ff9b::7f00:1``, Teredo) is
judged by the IPv4 address it carries; odd IPv4 notations (``0x7f000001``,
``2130706433``, ``0177.0.0.1``, ``127.1``) are what the resolver makes of them.

A failed delivery reports one text whatever went wrong (a refused address, no answer,
a closed port, an error status), so that the delivery log cannot be used to map the
network; the cause goes to the server log only.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import urllib3

log = logging.getLogger("toantrinh.webhooks")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: the one text a failed delivery reports (the cause is logged, never returned)
DELIVERY_FAILED = "webhook không nhận thông báo (không kết nối được, hoặc trả lời không phải 2xx)"

# metadata services that answer on addresses ipaddress does not flag by itself
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class WebhookTargetError(ValueError):
    """A webhook URL whose target the server must not call; the message says why."""


@dataclass(frozen=True)
class Allowance:
    """What the operator allows beyond public addresses: networks (CIDR) and host names."""

    networks: tuple[Network, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, setting: str | None) -> Allowance:
        """``"10.20.0.0/16, 192.168.5.7, hooks.tinh.gov.vn"`` → networks and names."""
        networks: list[Network] = []
        hosts: set[str] = set()
        for item in (setting or "").replace(";", ",").split(","):
            item = item.strip()
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        return cls(tuple(networks), frozenset(hosts))

    def allows(self, host: str, address: IPAddress) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        return any(address in net or _embedded(address) in net for net in self.networks)


def _embedded(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def forbidden_reason(address: IPAddress) -> str | None:
    """Why the server must not connect to ``address`` (in Vietnamese), or ``None``."""
    inner = _embedded(address)
    for candidate in {address, inner}:
        if candidate in _METADATA:
            return "địa chỉ dịch vụ siêu dữ liệu của hạ tầng đám mây"
        if candidate.is_unspecified:
            return "địa chỉ không xác định (0.0.0.0, ::)"
        if candidate.is_loopback:
            return "địa chỉ vòng lặp (máy chủ này)"
        if candidate.is_link_local:
            return "địa chỉ link-local"
        if candidate.is_multicast:
            return "địa chỉ multicast"
        if candidate.is_private:
            return "địa chỉ mạng nội bộ"
        if not candidate.is_global:
            return "địa chỉ dành riêng, không định tuyến trên Internet"
    return None


@dataclass(frozen=True)
class Target:
    """A checked webhook target: where to connect and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[IPAddress, ...]


Resolver = Callable[[str, int], Iterable[str]]


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name (or an IP literal in any notation) resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_target(
    url: str, allowance: Allowance | None = None, resolver: Resolver | None = None
) -> Target:
    """The target of ``url`` with every address it resolves to, each one allowed;
    :class:`WebhookTargetError` otherwise (one bad address refuses the whole name: the
    connection could go to any of them)."""
    allowance = allowance or Allowance()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise WebhookTargetError(f"địa chỉ webhook không hợp lệ: {err}") from err
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookTargetError("địa chỉ webhook phải là http:// hoặc https:// có tên máy")
    if parts.username or parts.password:
        raise WebhookTargetError("địa chỉ webhook không được chứa tên đăng nhập, mật khẩu")
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = (resolver or resolve)(host, port)
        addresses = tuple(ipaddress.ip_address(a.split("%", 1)[0]) for a in found)
    except (OSError, UnicodeError, ValueError) as err:
        raise WebhookTargetError(f"không phân giải được tên máy '{host}'") from err
    if not addresses:
        raise WebhookTargetError(f"không phân giải được tên máy '{host}'")
    for address in addresses:
        reason = forbidden_reason(address)
        if reason and not allowance.allows(host, address):
            raise WebhookTargetError(
                f"webhook không được gửi tới {host} ({address}: {reason}); quản trị hệ thống "
                "cho phép bằng TOANTRINH_WEBHOOK_ALLOW nếu đó là chủ ý"
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses)


class DeliveryRefused(Exception):
    """The delivery did not happen or was not accepted; ``str()`` is always
    :data:`DELIVERY_FAILED`, the cause is in ``cause`` (for the log)."""

    def __init__(self, cause: str):
        super().__init__(DELIVERY_FAILED)
        self.cause = cause


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allowance: Allowance | None = None,
    resolver: Resolver | None = None,
) -> int:
    """POST ``body`` to ``url`` after checking its addresses now, connecting to a checked
    address (the name's others in turn if one does not answer); no redirect is followed.
    Returns the 2xx status; raises :class:`DeliveryRefused` otherwise."""
    try:
        target = check_target(url, allowance, resolver)
    except WebhookTargetError as err:
        raise DeliveryRefused(str(err)) from err
    headers = {**headers, "Host": _host_header(target)}
    last = "không có địa chỉ"
    for address in target.addresses:
        pool = _pool(target, address, timeout)
        try:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=True,
                assert_same_host=False,
            )
        except urllib3.exceptions.HTTPError as err:
            last = f"{address}: {type(err).__name__}: {err}"
            continue
        finally:
            pool.close()
        if 200 <= response.status < 300:
            return response.status
        raise DeliveryRefused(f"{address}: trả lời {response.status}")
    raise DeliveryRefused(last)


def _host_header(target: Target) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


def _pool(target: Target, address: IPAddress, timeout: float) -> urllib3.HTTPConnectionPool:
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "maxsize": 1}
    if target.scheme == "https":
        # connect to the checked address, verify the certificate against the URL's name
        return urllib3.HTTPSConnectionPool(
            str(address),
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **options,
        )
    return urllib3.HTTPConnectionPool(str(address), target.port, **options)
