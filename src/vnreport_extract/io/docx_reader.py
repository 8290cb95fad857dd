"""Word files (``.docx``) -> text, one paragraph per line, tables row by row.

A ``.docx`` is a zip archive, so it is checked before anything unpacks it: at most
:data:`MAX_MEMBERS` members, at most :data:`MAX_UNPACKED` bytes unpacked in all, and no
large member packed more than :data:`MAX_RATIO` times (a zip bomb packs gigabytes of
zeros into kilobytes). The sizes checked are the ones the archive declares, and they
bind: Python's ``zipfile`` stops inflating a member at its declared size. The XML is
then read by python-docx, whose lxml parser does not resolve entities.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import InputError
from .readers import Decoded

MAX_UNPACKED = 64_000_000
MAX_MEMBERS = 2_000
MAX_RATIO = 200


def check_zip(data: bytes, *, name: str | None = None, max_unpacked: int = MAX_UNPACKED) -> None:
    """Refuse archives that are not zip files or would unpack too much.

    Raises:
        InputError: not a zip archive, not a Word document, or over a limit (says which).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("not a .docx (not a zip archive; an old binary .doc?)", source=name) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(f".docx has {len(infos):,} parts, over the limit of {MAX_MEMBERS:,}", source=name)
        total = sum(i.file_size for i in infos)
        if total > max_unpacked:
            raise InputError(f".docx unpacks to {total:,} bytes, over the limit of {max_unpacked:,} "
                             "(a zip bomb?)", source=name)
        for i in infos:
            if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(1, i.compress_size):
                raise InputError(f".docx part {i.filename} is packed {i.file_size // max(1, i.compress_size):,} "
                                 f"times, over the limit of {MAX_RATIO} (a zip bomb?)", source=name)
        if "word/document.xml" not in {i.filename for i in infos}:
            raise InputError("not a .docx (a zip archive without word/document.xml)", source=name)


def read_docx(data: bytes, *, name: str | None = None, max_unpacked: int = MAX_UNPACKED) -> Decoded:
    """A Word document's text: body paragraphs and table rows in document order.

    Raises:
        InputError: see :func:`check_zip`; or the document XML is broken.
    """
    check_zip(data, name=name, max_unpacked=max_unpacked)
    import docx  # python-docx, imported on first use
    from docx.table import Table

    try:
        doc = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in doc.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        t = cell.text.strip()
                        if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                            cells.append(t)
                    if cells:
                        lines.append(" | ".join(cells))
            else:
                lines.append(block.text)
        title = (doc.core_properties.title or "").strip()
    except InputError:
        raise
    except Exception as e:  # lxml, KeyError on missing parts...: one line naming the file
        raise InputError(f"broken .docx ({e.__class__.__name__}: {str(e)[:200]})", source=name) from None
    text = "\n".join(line.strip() for line in lines).strip("\n")
    meta: dict[str, object] = {"docx_title": title} if title else {}
    return Decoded(text=text, encoding="docx (utf-8 xml)", metadata=meta)
