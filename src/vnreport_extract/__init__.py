"""vnreport-extract: Vietnamese civic news reports to typed JSON.

>>> from vnreport_extract import extract
>>> report = extract("Sáng ngày 23/9/2025, Đảng ủy xã Tân Hòa tổ chức Hội nghị tổng kết.")
>>> report.dates[0].value
'2025-09-23'

Importing the package is cheap: the pipeline, spaCy and underthesea load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Extractor", "InputError", "Report", "extract", "load", "__version__"]

if TYPE_CHECKING:
    from .errors import InputError
    from .pipeline import Extractor, extract
    from .schema import Report
    from .spacy_component import load


def __getattr__(name: str) -> Any:
    if name in ("Extractor", "extract"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "Report":
        from .schema import Report

        return Report
    if name == "InputError":
        from .errors import InputError

        return InputError
    if name == "load":
        from .spacy_component import load

        return load
    raise AttributeError(f"module 'vnreport_extract' has no attribute {name!r}")
