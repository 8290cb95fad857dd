"""What a batch reads: files, folders (recursive), glob patterns and standard input.

Each input gets a format from its suffix and an output name that cannot leave the
output folder: path parts are cleaned one by one (``..`` and empty parts dropped,
anything but letters, digits, ``.``, ``-`` and ``_`` made ``_``) and joined with ``__``.
Files named on the command line are named by their stem (``reports/a.txt`` -> ``a``),
files found in a folder by their path inside it (``2019/thang-5/a.html`` ->
``2019__thang-5__a``), so two ``index.html`` in two folders do not collide.
"""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SUFFIX_FORMAT = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
_GLOB_CHARS = re.compile(r"[*?\[]")
_MAX_NAME = 150


@dataclass(frozen=True)
class InputFile:
    path: str  # as given or found; "-" is standard input
    name: str  # output name stem, safe
    format: str  # txt | html | docx | jsonl


def format_of(path: str) -> str:
    """The input format by suffix; unknown suffixes are read as plain text."""
    return SUFFIX_FORMAT.get(Path(path).suffix.lower(), "txt")


def clean_part(part: str) -> str:
    """One path part or record id made safe as (part of) a file name; may be empty."""
    part = re.sub(r"\.(txt|text|html?|xhtml|docx|jsonl|ndjson)$", "", part, flags=re.IGNORECASE)
    return re.sub(r"[^\w.\-]+", "_", part).strip("._-")


def safe_join(parts: Iterable[str]) -> str:
    """Clean parts joined with ``__``; never empty, never a path, at most 150 characters."""
    cleaned = [c for c in (clean_part(p) for p in parts if p not in ("", ".", "..")) if c]
    name = "__".join(cleaned) or "report"
    if len(name) > _MAX_NAME:  # keep names short and still distinct
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
        name = f"{name[: _MAX_NAME - 11]}_{digest}"
    return name


def expand_inputs(
    args: Iterable[str],
    *,
    include: Iterable[str] = (),
    stdin_format: str = "txt",
    exclude: Iterable[Path] = (),
) -> list[InputFile]:
    """Files to read, in a stable order: arguments in order, folders and globs sorted.

    Args:
        args: files, folders, glob patterns (``"archive/**/*.htm*"``) or ``-``.
        include: file-name patterns for folders; default: every known suffix.
        stdin_format: the format of ``-``.
        exclude: folders not to descend into (the output folder).

    A path that does not exist and matches nothing is kept: reading it fails, and the
    batch names it among the failures.
    """
    pats = list(include)
    skip = {p.resolve() for p in exclude}
    out: list[InputFile] = []
    seen: set[str] = set()

    def add(f: InputFile) -> None:
        if f.path not in seen:
            seen.add(f.path)
            out.append(f)

    for arg in args:
        if arg == "-":
            add(InputFile("-", "stdin", stdin_format))
        elif os.path.isdir(arg):
            for f in _walk(arg, pats, skip):
                add(f)
        elif not os.path.exists(arg) and _GLOB_CHARS.search(arg):
            for m in sorted(glob.glob(arg, recursive=True)):
                if os.path.isfile(m):
                    add(InputFile(m, safe_join([Path(m).name]), format_of(m)))
                elif os.path.isdir(m):
                    for f in _walk(m, pats, skip):
                        add(f)
        else:
            add(InputFile(arg, safe_join([Path(arg).name]), format_of(arg)))
    return out


def _walk(root: str, pats: list[str], skip: set[Path]) -> list[InputFile]:
    found: list[InputFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and Path(dirpath, d).resolve() not in skip)
        for fn in sorted(filenames):
            if fn.startswith("."):
                continue
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root)
            if pats:
                if not any(fnmatch.fnmatch(fn, p) or fnmatch.fnmatch(rel, p) for p in pats):
                    continue
            elif Path(fn).suffix.lower() not in SUFFIX_FORMAT:
                continue
            found.append(InputFile(full, safe_join(Path(rel).parts), format_of(fn)))
    # one order for the whole tree (os.walk gives a folder's files before its subfolders')
    found.sort(key=lambda f: Path(os.path.relpath(f.path, root)).parts)
    return found
