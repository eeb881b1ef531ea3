"""MHT/MHTML (a web page saved as one file, RFC 2557) → the page's HTML bytes.

Browsers ("Save as single file", .mht/.mhtml) and Word ("Single File Web Page", often
still named .doc) write a MIME message: the page is its ``text/html`` part, encoded
quoted-printable or base64, with its charset in the part's ``Content-Type``; images and
styles are further parts. The stdlib :mod:`email` parser reads it.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass

__all__ = ["MhtPart", "mht_page", "looks_like_mht"]

# The first header lines of a MIME message: "MIME-Version: 1.0", "From: <Saved by …>",
# "Content-Type: multipart/related; …", "Snapshot-Content-Location: http://…".
_MIME_HEAD_RE = re.compile(
    rb"^(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){0,20}?(?:MIME-Version|Content-Type)\s*:",
    re.IGNORECASE,
)


@dataclass
class MhtPart:
    """The page part of an MHT file: its raw bytes, declared charset, subtype and URL."""

    data: bytes
    charset: str | None
    subtype: str
    url: str | None


def looks_like_mht(head: bytes) -> bool:
    """Whether a file's first bytes are the headers of a MIME message.

    Examples
    --------
    >>> looks_like_mht(b"From: <Saved by Blink>\\r\\nMIME-Version: 1.0\\r\\n")
    True
    >>> looks_like_mht(b"<html>MIME-Version: 1.0")
    False
    """
    return bool(_MIME_HEAD_RE.match(head.lstrip()))


def mht_page(data: bytes) -> MhtPart | None:
    """The HTML part of an MHT file (else its first text part); None when it has none.

    Examples
    --------
    >>> raw = (b"MIME-Version: 1.0\\r\\nContent-Type: multipart/related; boundary=\\"b\\"\\r\\n\\r\\n"
    ...        b"--b\\r\\nContent-Type: text/html; charset=\\"gb2312\\"\\r\\n"
    ...        b"Content-Transfer-Encoding: quoted-printable\\r\\n"
    ...        b"Content-Location: http://a.gov.cn/t20240328_1.html\\r\\n\\r\\n"
    ...        b"<p>=D2=C0=B7=A8</p>\\r\\n--b--\\r\\n")
    >>> part = mht_page(raw)
    >>> part.data.decode(part.charset), part.url
    ('<p>依法</p>', 'http://a.gov.cn/t20240328_1.html')
    """
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    root_url = msg.get("Snapshot-Content-Location") or msg.get("Content-Location")
    found = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype == "text/html":
            found = part
            break
        if found is None and ctype.startswith("text/") and ctype != "text/css":
            found = part
    if found is None:
        return None
    payload = found.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    url = found.get("Content-Location") or root_url
    return MhtPart(
        data=payload,
        charset=found.get_content_charset(),
        subtype=found.get_content_subtype(),
        url=str(url).strip() if url else None,
    )
