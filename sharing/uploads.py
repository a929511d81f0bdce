"""Attachments are checked by their content, not by their name or the browser's claim."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

MAX_ATTACHMENTS = 8
# Extension in the file name → the content type its bytes must show.
ALLOWED = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
# An image that decodes to more than this many pixels is refused (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000


def sniff(head: bytes) -> str | None:
    """The content type shown by a file's first bytes, or None when it is none we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_upload(upload) -> tuple[bytes, str, str]:
    """Return (content, content type, extension) or raise a ValidationError on ``file``."""
    limit = settings.ATTACHMENT_MAX_BYTES
    name = (upload.name or "").strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError({"file": _("只接受 PNG、JPEG、WebP 图片和 PDF 文件。")})
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"file": _("文件过大：最大 %(mb)d MB。") % {"mb": limit // 1_000_000}}
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            {"file": _("文件过大：最大 %(mb)d MB。") % {"mb": limit // 1_000_000}}
        )
    actual = sniff(content[:16])
    if actual != ALLOWED[extension]:
        raise ValidationError({"file": _("文件内容与扩展名 .%(ext)s 不符。") % {"ext": extension}})
    if actual == "application/pdf":
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError({"file": _("PDF 文件不完整或已损坏。")})
    else:
        _check_image(content)
    return content, actual, "jpg" if extension == "jpeg" else extension


def _check_image(content: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError({"file": _("图片尺寸过大。")})
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError({"file": _("图片尺寸过大。")}) from None
    except Exception:  # Pillow raises many types for a broken image
        raise ValidationError({"file": _("图片文件已损坏，无法读取。")}) from None
