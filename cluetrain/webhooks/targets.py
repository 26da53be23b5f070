"""Where webhooks may go: public addresses only, checked at registration and at every connect.

Staff choose the target, and the worker POSTs from inside the network, so a target must not
be the server itself or its neighbours (SSRF): loopback, private, link-local (cloud metadata
at 169.254.169.254), reserved, multicast, unspecified and other non-public addresses are
refused, IPv4 and IPv6, with IPv4 carried inside IPv6 judged as IPv4. Host names are judged
by every address they resolve to, and numeric spellings (`0x7f000001`, `2130706433`,
`0177.0.0.1`) by the address the system resolver makes of them, as a client would.

An administrator lets receivers inside through with WEBHOOK_ALLOWED_INTERNAL_HOSTS: host
names or addresses, matched against the host as written in the target URL.

A target holds no user name or password (`https://user:pw@host/`): receivers check the
signature made with the endpoint's signing secret, and a password in the URL would only be
shown on the pages and in exports (httpcore never sends it anyway).
"""

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import httpcore
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Each kind of internal address (`address_kind`), as the object of a sentence.
INTERNAL_ADDRESSES = {
    "unspecified": gettext_lazy("an unspecified address"),
    "loopback": gettext_lazy("a loopback address"),
    "link-local": gettext_lazy("a link-local address"),
    "multicast": gettext_lazy("a multicast address"),
    "reserved": gettext_lazy("a reserved address"),
    "private": gettext_lazy("a private address"),
    "non-public": gettext_lazy("a non-public address"),
}


class InternalTarget(Exception):
    """The target is, or resolves to, an address inside: sending there is refused for good.

    Its text is English, for the delivery log; `explained()` says it in the reader's language.
    """

    def __init__(self, host: str, kind: str, *, literal: bool) -> None:
        self.host, self.kind, self.literal = host, kind, literal
        article = "an" if kind[0] in "aeiou" else "a"
        verb = "is" if literal else "resolves to"
        super().__init__(f"{host} {verb} {article} {kind} address.")

    def explained(self) -> str:
        values = {"host": self.host, "address": INTERNAL_ADDRESSES[self.kind]}
        said = (
            gettext("%(host)s is %(address)s.")
            if self.literal
            else gettext("%(host)s resolves to %(address)s.")
        )
        how = gettext(
            "Webhooks may not reach internal addresses; an administrator can allow a host "
            "with WEBHOOK_ALLOWED_INTERNAL_HOSTS."
        )
        return f"{said % values} {how}"


def holds_credentials(url: str) -> bool:
    """Whether the URL has a user name or password before its host (`user:pw@`, `@`)."""
    try:
        return "@" in urlsplit(url).netloc
    except ValueError:
        return False  # not a URL at all: refused as such elsewhere


def without_password(url: str) -> str:
    """The URL as staff pages show it: a password stored before such addresses were refused
    is replaced by "***" (the user name stays, so staff see which address to fix)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


class UnresolvableHost(httpcore.ConnectError):
    """The host name does not resolve (now): an ordinary delivery failure, retried later."""


def address_kind(address: IPAddress) -> str | None:
    """What kind of internal address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 6to4's 2002:7f00:1:: reach the IPv4 address inside them.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_kind(embedded)
    kinds = {
        "unspecified": address.is_unspecified,
        "loopback": address.is_loopback,
        "link-local": address.is_link_local,
        "multicast": address.is_multicast,
        "reserved": address.is_reserved,
        "private": address.is_private,
        # Shared (carrier-grade NAT) space, benchmarking and the like.
        "non-public": not address.is_global,
    }
    return next((kind for kind, matches in kinds.items() if matches), None)


def _normal_host(host: str) -> str:
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))  # "::0001" and "::1" are one host
    except ValueError:
        return host


def is_allowed_internal(host: str) -> bool:
    allowed = {_normal_host(entry) for entry in settings.WEBHOOK_ALLOWED_INTERNAL_HOSTS}
    return _normal_host(host) in allowed


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for `host`, in its order (numeric forms too)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    return list(dict.fromkeys(addresses))


def _is_literal(host: str) -> bool:
    """Whether `host` is an address itself (in any spelling), not a name to look up."""
    try:
        socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError):
        return False
    return True


def refuse_internal(host: str, addresses: Iterable[IPAddress]) -> None:
    """Raise InternalTarget if any address is inside (one is enough to reach the inside)."""
    for address in addresses:
        kind = address_kind(address)
        if kind is not None:
            raise InternalTarget(host, kind, literal=_is_literal(host))


def check_target_host(host: str, port: int) -> None:
    """At registration: refuse a host that is or resolves inside, unless it is allowed.

    A name that does not resolve now is accepted: it is checked again at every delivery.
    """
    if is_allowed_internal(host):
        return
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        return
    refuse_internal(host, addresses)


class PublicOnlyBackend(httpcore.SyncBackend):
    """Connects only to vetted addresses.

    The host is resolved here, every address is checked, and the socket goes to one of those
    very addresses: a DNS answer that changes between the check and the connect (rebinding)
    cannot send the request inside. TLS still uses the host name for SNI and certificates.
    """

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError) as error:
            raise UnresolvableHost(host) from error
        if not is_allowed_internal(host):
            refuse_internal(host, addresses)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
        raise failure or UnresolvableHost(host)
