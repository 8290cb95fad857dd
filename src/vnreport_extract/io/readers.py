"""Bytes on disk -> text, with the encoding said out loud.

UTF-8 (with or without BOM) and UTF-16 (by BOM, or by its NUL pattern without one) are
read as such; anything else that is not valid UTF-8 goes to the legacy decoders
(``io.legacy``: Windows-1258, TCVN3, VNI), which say in a warning what they detected.
Binary input (NUL bytes outside UTF-16, control characters) is refused with one clear line.

Other formats have their own readers, chosen by :func:`read_bytes` from the format name:
``html`` (``io.html_reader``), ``docx`` (``io.docx_reader``); ``.jsonl`` files hold many
records and are split by ``io.jsonl_reader``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..schema import Source

DEFAULT_MAX_BYTES = 10_000_000


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, object] = field(default_factory=dict)


FORMATS = ("txt", "html", "docx", "jsonl")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text[:20000] if (ord(c) < 32 and c not in "\n\r\t\f\v") or c == "\ufffd")
    return bad / min(len(text), 20000)


def decode_bytes(data: bytes, *, name: str | None = None) -> Decoded:
    """Decode a report's bytes, or raise :class:`InputError` naming the file."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig", name)
        except UnicodeDecodeError as e:
            raise InputError(f"UTF-8 byte order mark, but broken UTF-8 at byte {e.start + 3}", source=name) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            d = _checked(data.decode("utf-16"), "utf-16", name)
        except UnicodeDecodeError as e:
            raise InputError(f"broken UTF-16 at byte {e.start}", source=name) from None
        d.warnings.append("encoding detected: UTF-16 (byte order mark); converted to Unicode")
        return d
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows NULs in every other byte of Latin text
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            sample = text[:4000]
            spaces = sum(c.isspace() for c in sample) / max(1, len(sample))
            if _control_ratio(text) < 0.01 and spaces > 0.05 and any(c.isalpha() for c in sample[:200]):
                d = _checked(text, enc, name)
                d.warnings.append(f"encoding detected: {enc.upper()} without a byte order mark; converted to Unicode")
                return d
        raise InputError("binary data (NUL bytes), not a text report", source=name)
    try:
        return _checked(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    from .legacy import decode_legacy

    return _checked_legacy(decode_legacy(data, name=name), name)


def _checked(text: str, encoding: str, name: str | None) -> Decoded:
    if _control_ratio(text) > 0.05:
        raise InputError(f"binary data ({encoding} decodes to control characters), not a text report", source=name)
    return Decoded(text=text, encoding=encoding)


def _checked_legacy(d: Decoded, name: str | None) -> Decoded:
    if _control_ratio(d.text) > 0.05:
        raise InputError("binary data, not a text report", source=name)
    return d


def read_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Read a text report from disk (``.txt`` and friends); see :func:`decode_bytes`."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", source=str(path)) from None
    if p.is_dir():
        raise InputError("is a folder, not a file", source=str(path))
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", source=str(path))
    from .inputs import format_of

    fmt = format_of(str(path))
    if fmt == "jsonl":
        raise InputError("a .jsonl file holds many reports: use `vnreport batch`", source=str(path))
    return read_bytes(p.read_bytes(), fmt, name=str(path))


def read_bytes(data: bytes, fmt: str = "txt", *, name: str | None = None) -> Decoded:
    """Decode one document of format ``fmt`` (``txt``, ``html`` or ``docx``) from its bytes.

    Raises:
        InputError: unknown format, undecodable or malformed input (the message says which).
    """
    if fmt == "txt":
        return decode_bytes(data, name=name)
    if fmt == "html":
        from .html_reader import read_html

        return read_html(data, name=name)
    if fmt == "docx":
        from .docx_reader import read_docx

        return read_docx(data, name=name)
    raise InputError(f"unknown input format {fmt!r} (expected one of txt, html, docx)", source=name)


def read_document(file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Decoded, Source]:
    """Read one report named on a command line (a path, or ``-`` for standard input) and
    describe where it came from. Raises :class:`InputError` naming the file."""
    import sys

    from ..schema import Source
    from .inputs import format_of

    if file == "-":
        decoded = decode_bytes(sys.stdin.buffer.read(), name="<stdin>")
        return decoded, Source(path=None, id="<stdin>", encoding=decoded.encoding, format="txt")
    decoded = read_path(file, max_bytes=max_bytes)
    return decoded, Source(path=file, encoding=decoded.encoding, format=format_of(file), metadata=dict(decoded.metadata))
