"""Typed errors a user can act on."""

from __future__ import annotations


class VnreportError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(VnreportError):
    """The input cannot be read as a report: not text, undecodable, too large, malformed.

    ``source`` names the file (or record) and the message says why, in one line.
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        self.reason = message
        super().__init__(f"{source}: {message}" if source else message)
