"""Attachment checks by content: the bytes decide the type, never the file name."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


# (magic prefix, offset, content type, extension)
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "application/pdf", "pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"WEBP", 8, "image/webp", "webp"),
)
_EXTENSIONS = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}, "webp": {"webp"}}


def sniff(head: bytes) -> Sniffed | None:
    for magic, offset, ctype, ext in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic and (ext != "webp" or head[:4] == b"RIFF"):
            return Sniffed(ctype, ext)
    return None


def check_attachment(name: str, size: int, head: bytes) -> Sniffed:
    """Refuse oversized files, unknown kinds and files whose name disguises their content."""
    if size <= 0:
        raise ValidationFailed(_("The file is empty."), fields={"attachment": _("Empty file.")})
    if size > settings.ATTACHMENT_MAX_BYTES:
        limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationFailed(
            _("The file is too large (limit %(mb)s MB).") % {"mb": limit},
            fields={"attachment": _("File too large.")},
        )
    found = sniff(head)
    if found is None:
        raise ValidationFailed(
            _("This kind of file is not accepted: send a PDF, JPEG, PNG or WebP."),
            fields={"attachment": _("File type not accepted.")},
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in _EXTENSIONS[found.extension]:
        raise ValidationFailed(
            _("The file name does not match its content (a %(kind)s file named %(name)s).")
            % {"kind": found.extension.upper(), "name": name},
            fields={"attachment": _("Disguised file.")},
        )
    return found
