"""Read ``strace -e trace=connect`` logs: which connections did a process try?"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

_INET = re.compile(r'sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)')
_INET6 = re.compile(
    r'sa_family=AF_INET6, sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"'
)
_FAMILY = re.compile(r"connect\(\d+, \{sa_family=(AF_\w+)")


def connections(trace_dir: Path) -> list[tuple[str, str, int]]:
    """(family, address, port) of every connect() in every file of ``trace_dir``
    (``strace -ff -o DIR/trace`` writes one file per process)."""
    found = []
    for path in sorted(trace_dir.glob("trace*")):
        for line in path.read_text(errors="replace").splitlines():
            if "connect(" not in line:
                continue
            m = _INET.search(line)
            if m:
                found.append(("AF_INET", m.group(2), int(m.group(1))))
                continue
            m = _INET6.search(line)
            if m:
                found.append(("AF_INET6", m.group(2), int(m.group(1))))
                continue
            fam = _FAMILY.search(line)
            found.append((fam.group(1) if fam else "unknown", "", 0))
    return found


def non_loopback(conns: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Connections that could leave the machine. Unix sockets and netlink are local."""
    bad = []
    for family, address, port in conns:
        if family in ("AF_UNIX", "AF_NETLINK", "AF_UNSPEC"):
            continue
        if family in ("AF_INET", "AF_INET6"):
            ip = ipaddress.ip_address(address)
            mapped = getattr(ip, "ipv4_mapped", None)
            if ip.is_loopback or (mapped is not None and mapped.is_loopback):
                continue
        bad.append((family, address, port))
    return bad


_ADDRESSED = re.compile(r"^(?:[\d:.]+ +)*(sendto|sendmsg|bind)\(")


_SIZE = re.compile(r'"(?:\.\.\.)?, (\d+), ')


def addressed_calls(trace_dir: Path) -> list[tuple[str, str, str, int, int]]:
    """(call, family, address, port, bytes) of every ``sendto``/``sendmsg`` that
    names a destination and every ``bind`` (0 bytes), from ``strace -e
    trace=sendto,sendmsg,bind`` logs: where datagrams (WebRTC media) went and
    where sockets listened."""
    found = []
    for path in sorted(trace_dir.glob("trace*")):
        for line in path.read_text(errors="replace").splitlines():
            call = _ADDRESSED.match(line)
            if not call:
                continue
            size = _SIZE.search(line)
            size = int(size.group(1)) if size and call.group(1) == "sendto" else 0
            m = _INET.search(line)
            if m:
                found.append((call.group(1), "AF_INET", m.group(2), int(m.group(1)), size))
                continue
            m = _INET6.search(line)
            if m:
                found.append((call.group(1), "AF_INET6", m.group(2), int(m.group(1)), size))
    return found


def this_machines_addresses() -> set:
    """Every IP address of this computer's own network interfaces: a datagram sent
    to one of them is delivered by the kernel here and never leaves the computer."""
    import ifaddr

    out = set()
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            out.add(ip.ip if isinstance(ip.ip, str) else ip.ip[0])
    return out
