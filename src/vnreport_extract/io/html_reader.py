"""Saved web pages (``.html``/``.htm``) -> the article's own text.

Why trafilatura: it is maintained (regular releases, a test corpus of real news pages,
used by large web-corpus projects), it works offline on a string, and it removes what a
portal wraps around an article: menus, "Tin liên quan" lists, comment forms, footers.
It keeps headings and paragraphs apart, one per line, which is what our segmenter reads.

Hostile pages: trafilatura parses with lxml, which gives up on very deep nesting (over
libxml2's depth limit) and on some broken markup. Then a small streaming reader over
the standard library's :class:`html.parser.HTMLParser` (no recursion, so no depth limit)
keeps the text of paragraphs and headings outside ``nav``/``header``/``footer``/
``aside``/``form``/``script``/``style``, and the report says that the fallback was used.

The bytes are decoded by the page's own ``<meta charset>`` when it names UTF-8, UTF-16
or Windows-1258 and the bytes agree; otherwise by :func:`~.readers.decode_bytes`, which
also recognizes the legacy Vietnamese encodings that old pages declared as Latin-1.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from html.parser import HTMLParser

from ..errors import InputError
from .readers import Decoded, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# pages saved from legacy-font sites declared Latin-1 and meant TCVN3 or VNI
_LATIN = {"iso8859-1", "cp1252", "ascii", "latin-1"}


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_html_bytes(data: bytes, *, name: str | None = None) -> Decoded:
    """Decode a page's bytes, trusting its ``<meta charset>`` only where it can be checked."""
    declared = _declared_charset(data)
    if declared == "cp1258":
        try:
            text = unicodedata.normalize("NFC", data.decode("cp1258"))
            return Decoded(text=text, encoding="windows-1258",
                           warnings=["encoding: Windows-1258, as the page declares; converted to Unicode NFC"])
        except UnicodeDecodeError:
            pass
    if declared in _LATIN:
        try:
            return decode_bytes(data, name=name)
        except InputError:
            return Decoded(text=data.decode("cp1252", errors="replace"), encoding="cp1252",
                           warnings=["encoding: Windows-1252, as the page declares; no Vietnamese found"])
    if declared and declared not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        try:
            return Decoded(text=data.decode(declared), encoding=declared,
                           warnings=[f"encoding: {declared}, as the page declares"])
        except UnicodeDecodeError:
            pass
    return decode_bytes(data, name=name)


class _TextParser(HTMLParser):
    """Paragraph and heading text outside page furniture, streaming, no tree."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
            "select", "button", "iframe", "svg"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "br", "tr", "section",
             "article", "title", "td", "figcaption"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.parts: list[str] = []
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
            return
        if not self.skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def fallback_text(html: str) -> tuple[str, str | None]:
    """(text, title) of a page by the streaming reader; see the module docstring."""
    p = _TextParser()
    p.feed(html)
    p.close()
    return p.text(), (p.title.strip() if p.title else None)


def read_html(data: bytes, *, name: str | None = None) -> Decoded:
    """A saved news page -> its article text (title on the first line), decoded.

    Raises:
        InputError: the page holds no text at all, or its bytes cannot be decoded.
    """
    dec = decode_html_bytes(data, name=name)
    html = dec.text
    warnings = list(dec.warnings)
    text = ""
    title: str | None = None
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=True, favor_precision=True, with_metadata=True,
        )
    except Exception as e:  # lxml and trafilatura fail on some hostile pages; say so and fall back
        doc = None
        warnings.append(f"html: trafilatura failed ({e.__class__.__name__}); used the plain paragraph reader")
    plain, plain_title = fallback_text(html)
    if not plain.strip():
        # nothing outside menus, scripts and forms: trafilatura's own last resort would
        # return the menu ("Trang chủ"), which is not a report
        raise InputError("HTML page holds no article text (only menus, scripts or forms)", source=name)
    doc_text = str(getattr(doc, "text", None) or "")
    if doc_text.strip():
        text = doc_text.strip()
        title = str(getattr(doc, "title", None) or "").strip() or None
    else:
        text, title = plain, plain_title
        if not any(w.startswith("html: trafilatura failed") for w in warnings):
            warnings.append("html: trafilatura found no article (broken or deeply nested markup); "
                            "used the plain paragraph reader, so menus may remain")
    if not text.strip():
        raise InputError("HTML page holds no article text", source=name)
    if title and not text.startswith(title):
        first = text.split("\n", 1)[0]
        # a <title> usually carries the site name ("... | Báo Tân Hòa"): only prepend it
        # when the article itself has no heading line that the title contains
        if first not in title:
            text = f"{title}\n{text}"
    meta: dict[str, object] = {"html_title": title} if title else {}
    published = str(getattr(doc, "date", None) or "")
    if re.fullmatch(r"(?:19|20)\d\d-\d\d-\d\d", published):
        # the page's own publication date (meta tags, JSON-LD, URL), read by htmldate offline:
        # the year of a date the article writes without one ("chiều qua (6/2)")
        meta["published"] = published
    return Decoded(text=text, encoding=dec.encoding, warnings=warnings, metadata=meta)
