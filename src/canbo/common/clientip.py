"""The address a request came from (issue 11 §1): what the login lock-out counts by (django-axes,
``AXES_CLIENT_IP_CALLABLE``) and what the log of who read a personal file records.

Without a reverse proxy (``CANBO_PROXY_COUNT=0``, the default) it is the connection's address,
``REMOTE_ADDR``; an ``X-Forwarded-For`` header is then ignored, since anyone can send one.
Behind *n* proxies that each append the address they received the request from, it is the
*n*-th address from the right of ``X-Forwarded-For``: the one the outermost trusted proxy saw.
Addresses further left were written by the client and are not believed. A header too short or
not an address falls back to ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the trusted proxies saw it (see the module's docstring)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "CANBO_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
