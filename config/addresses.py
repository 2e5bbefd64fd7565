"""This machine's own addresses, for bin/serve: where a room of students can reach it.

Pure Python, no Django. `ip -j addr` (iproute2) lists every interface's addresses; without it,
the addresses the host name resolves to and the one the machine would send from. Loopback is
the whole network the kernel answers on (127.0.0.0/8 and ::1), so any 127.x.y.z address works.

    python -m config.addresses    # prints the addresses, one a line, the room's first
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import subprocess
import sys

LOOPBACK = ("127.0.0.0/8", "::1/128")


def _from_ip_command() -> list[str] | None:
    ip = shutil.which("ip")
    if ip is None:
        return None
    try:
        result = subprocess.run(
            [ip, "-j", "addr"], capture_output=True, text=True, timeout=5, check=True
        )
        interfaces = json.loads(result.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return [
        info["local"]
        for interface in interfaces
        if "UP" in interface.get("flags", [])
        for info in interface.get("addr_info", [])
        if "local" in info
    ]


def _from_host_name() -> list[str]:
    found: list[str] = []
    try:
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None):
            found.append(str(sockaddr[0]))
    except OSError:
        pass
    # The address a packet to another network would leave from (no packet is sent: UDP).
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed
            found.append(probe.getsockname()[0])
        except OSError:
            pass
    return found


def machine_addresses() -> list[str]:
    """Every address of this machine that another device could use, IPv4 first, without
    loopback and link-local ones (those need an interface name to be reached)."""
    raw = _from_ip_command()
    if raw is None:
        raw = _from_host_name()
    addresses = []
    for text in raw:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            continue
        if address not in addresses:
            addresses.append(address)
    addresses.sort(key=lambda a: (a.version, not a.is_private, int(a)))
    return [str(a) for a in addresses]


def url_host(address: str) -> str:
    """An address as a URL writes it: IPv6 in brackets."""
    return f"[{address}]" if ":" in address else address


if __name__ == "__main__":
    sys.stdout.write("".join(f"{address}\n" for address in machine_addresses()))
