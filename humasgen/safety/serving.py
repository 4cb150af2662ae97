"""The preview server answers only requests meant for it.

DNS rebinding: a web page on `evil.example` makes its name resolve to 127.0.0.1
and then reads `http://evil.example:8000/` from the reader's browser, drafts
included. The browser sends `Host: evil.example:8000`, so a preview bound to a
loopback address answers only to `localhost`, loopback IPs and the address it was
started on. Bound to another address (`--host 0.0.0.0`, shared on purpose), any
name is accepted: the user chose to show the preview to the network.
"""
from __future__ import annotations

import ipaddress


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def host_name(header: str) -> str:
    """The name in a Host header, without the port: 'localhost:8000' -> 'localhost', '[::1]:80' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_host(header: str | None, bound: str) -> bool:
    bound_ip = _ip(bound)
    if bound_ip is not None and not bound_ip.is_loopback:
        return True                     # shared on purpose (a warning was printed at start)
    if not header:
        return False                    # HTTP/1.1 requires it; browsers always send it
    name = host_name(header).rstrip(".")
    ip = _ip(name)
    return name == "localhost" or name.endswith(".localhost") or (ip is not None and ip.is_loopback) \
        or name == bound.lower()
