"""Who may reach `dayone serve`: the token, the host names a request may name, the origins a page may come from.

The token works as Jupyter's does: the printed link carries it, the server swaps it for a cookie, and every
request without one of the two is refused. The Host check stops DNS rebinding (a page on `evil.example` whose
name is made to point at this machine): a request must name this server by an address, a name it was bound or
published as, or an allowed origin's host. The Origin check stops other web pages from driving the app from a
visitor's browser: a browser request that says where it comes from must come from the page this server served
(same scheme, host and port), the public URL or an `--allow-origin`. `null` never passes.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui.errors import DayoneError

WILDCARDS = frozenset({"0.0.0.0", "::", ""})
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def origin_of(url: str, what: str) -> str:
    """`scheme://host[:port]` of an http(s) URL, lower case, the default port left out; a bad URL is refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise DayoneError(f"{what} {url!r}: not an http:// or https:// address with a host name")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise DayoneError(f"{what} {url!r}: give the scheme, host and port only (dayone is served at the root)")
    return _origin(parts.scheme, parts.hostname, port)


def _origin(scheme: str, host: str, port: int | None) -> str:
    host = host.lower()
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{shown}:{port}"


def host_name(header: str) -> str | None:
    """The host name a Host header (or an origin's authority) names, lower case; None when it is not one."""
    try:
        parts = urlsplit(f"http://{header}")
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return None
    if not parts.hostname or parts.path or parts.query or parts.fragment or parts.username:
        return None
    return parts.hostname.lower()


@dataclass(frozen=True)
class Access:
    """The rules one server applies to every request."""

    token: str | None  # None: no token asked (loopback only)
    bind: str
    public_origin: str | None = None
    allowed_origins: frozenset[str] = field(default_factory=frozenset)

    def token_matches(self, given: str | None) -> bool:
        if self.token is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def host_names(self) -> frozenset[str]:
        """The names (not addresses: those always pass) a request may call this server by."""
        names = {self.bind.lower()} if not is_address(self.bind) and self.bind not in WILDCARDS else set()
        if is_loopback(self.bind) or self.bind in WILDCARDS:
            names.add("localhost")
        if self.bind in WILDCARDS:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        for origin in (self.public_origin, *self.allowed_origins):
            if origin:
                names.add(urlsplit(origin).hostname or "")
        names.discard("")
        return frozenset(names)

    def host_allowed(self, header: str | None) -> bool:
        """Whether a Host header names this server: an IP address (which no page can rebind) or a known name."""
        name = host_name(header or "")
        if name is None:
            return False
        return is_address(name) or name in self.host_names()

    def origin_allowed(self, origin: str | None, scheme: str, host_header: str) -> bool:
        """Whether a request's Origin may use this server. No Origin (not a browser's page) leaves it to the token."""
        if origin is None:
            return True
        try:
            parts = urlsplit(origin)
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query:
            return False  # `null`, file:, extensions and anything unparsable
        given = _origin(parts.scheme, parts.hostname, port)
        if given == self.public_origin or given in self.allowed_origins:
            return True
        try:
            served = urlsplit(f"{scheme}://{host_header}")
            return given == _origin(scheme, served.hostname or "", served.port)
        except (ValueError, KeyError):
            return False
