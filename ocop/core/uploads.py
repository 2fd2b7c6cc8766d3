"""Checking uploaded files by their content, never by their name.

Every upload is size-limited and sniffed; images are decoded and re-encoded by Pillow (which
drops EXIF and any trailing payload) and refused beyond a pixel budget (decompression bombs).
Office files (ZIP archives) are checked as archives before anything else reads them: the
number of entries, the total size unpacked (declared, and actually inflated with a cap) and
the compression ratio, so that a zip bomb named `.docx` is refused. Stored files live under
MEDIA_ROOT, which no URL serves: views stream them after a permission check.
"""

import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
# Far above any photo a phone takes (48 MP), far below what would exhaust memory.
MAX_IMAGE_PIXELS = 60_000_000
# Archive limits, overridable in settings (OCOP_ARCHIVE_*). A real Word or Excel file of 20 MB
# has a few hundred entries and unpacks to a few times its size; a zip bomb has a ratio in the
# thousands. Entries smaller than ARCHIVE_RATIO_GRACE_BYTES are not held to the ratio (tiny
# XML parts compress well and are harmless), as in Apache POI's ZipSecureFile.
ARCHIVE_MAX_ENTRIES = 1000
ARCHIVE_MAX_UNCOMPRESSED_BYTES = 100 * MB
ARCHIVE_MAX_RATIO = 100
ARCHIVE_RATIO_GRACE_BYTES = 100 * 1024
_INFLATE_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extension: str
    content_type: str
    # A ZIP archive underneath (Office Open XML, OpenDocument): checked as an archive.
    archive: bool = False


PDF = FileKind("pdf", "PDF", "pdf", "application/pdf")
JPEG = FileKind("jpeg", "JPEG", "jpg", "image/jpeg")
PNG = FileKind("png", "PNG", "png", "image/png")
DOCX = FileKind(
    "docx",
    "Word (DOCX)",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    archive=True,
)
XLSX = FileKind(
    "xlsx",
    "Excel (XLSX)",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    archive=True,
)
DOCUMENT_KINDS = (PDF, JPEG, PNG, DOCX, XLSX)
IMAGE_KINDS = (JPEG, PNG)


def sniff(head: bytes, data: io.BufferedIOBase | None = None) -> FileKind | None:
    """The kind of file by its first bytes (and, for Office files, the zip's contents)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            names = set(zipfile.ZipFile(data).namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    return None


def _read_all(upload, max_bytes: int) -> bytes:
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    kind: FileKind
    size: int
    sha256: str
    original_name: str


def check_document(upload, *, max_bytes: int = 20 * MB, kinds=DOCUMENT_KINDS) -> CheckedFile:
    """Accept a PDF, JPEG, PNG, DOCX or XLSX by content. Images are re-encoded."""
    data = _read_all(upload, max_bytes)
    kind = sniff(data[:8], io.BytesIO(data))
    if kind not in kinds:
        raise ValidationError(
            _("This file is not one of the accepted types (%(types)s), whatever its name says.")
            % {"types": ", ".join(k.label for k in kinds)},
            code="file_type",
        )
    if kind.archive:
        check_archive(data)
    if kind in IMAGE_KINDS:
        data, kind = _reencode(data)
    elif kind is PDF and b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF file is damaged or incomplete."), code="corrupt")
    name = _safe_name(getattr(upload, "name", "") or "file", kind)
    return CheckedFile(
        ContentFile(data, name=name), kind, len(data), hashlib.sha256(data).hexdigest(), name
    )


def _archive_limit(name: str) -> int:
    return getattr(settings, f"OCOP_{name}", globals()[name])


def check_archive(data: bytes) -> None:
    """Refuse a ZIP archive that could exhaust memory, disk or time once unpacked.

    The central directory's declared sizes are checked first (cheap), then every entry is
    inflated in chunks and counted, stopping at the first limit crossed: declared sizes can
    lie, and nothing is inflated past the limit.
    """
    max_entries = _archive_limit("ARCHIVE_MAX_ENTRIES")
    max_total = _archive_limit("ARCHIVE_MAX_UNCOMPRESSED_BYTES")
    max_ratio = _archive_limit("ARCHIVE_MAX_RATIO")
    grace = _archive_limit("ARCHIVE_RATIO_GRACE_BYTES")
    too_many = ValidationError(
        _("The file holds more than %(limit)d parts; an Office file may hold at most %(limit)d.")
        % {"limit": max_entries},
        code="archive_entries",
    )
    too_big = ValidationError(
        _("Unpacked, the file would take more than %(limit)s, the limit for an Office file.")
        % {"limit": filesizeformat(max_total)},
        code="archive_size",
    )
    too_dense = ValidationError(
        _(
            "The file is compressed more than %(limit)d times over, far beyond a normal Office "
            "file; it is refused as a possible zip bomb."
        )
        % {"limit": max_ratio},
        code="archive_ratio",
    )
    damaged = ValidationError(
        _("The Office file is damaged or protected and cannot be read."), code="corrupt"
    )

    def dense(size: int, compressed: int) -> bool:
        return size > grace and size > max_ratio * max(compressed, 1)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise too_many
            if sum(e.file_size for e in entries) > max_total:
                raise too_big
            if any(dense(e.file_size, e.compress_size) for e in entries):
                raise too_dense
            total = 0
            for entry in entries:
                if entry.is_dir():
                    continue
                size = 0
                with archive.open(entry) as member:
                    while chunk := member.read(_INFLATE_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if total > max_total:
                            raise too_big
                        if dense(size, entry.compress_size):
                            raise too_dense
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
        NotImplementedError,
        zlib.error,
    ) as error:
        # Bad CRC, truncated data, encryption, an unsupported compression method.
        raise damaged from error


def check_image(upload, *, max_bytes: int = 10 * MB) -> CheckedFile:
    return check_document(upload, max_bytes=max_bytes, kinds=IMAGE_KINDS)


def _reencode(data: bytes) -> tuple[bytes, FileKind]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            # The header gives the size before anything is decoded: refuse bombs here.
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large in pixels to be processed safely."),
                    code="image_bomb",
                )
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            source_format = image.format
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if source_format == "PNG" or image.mode in ("RGBA", "LA", "P"):
                image.save(out, format="PNG", optimize=True)
                return out.getvalue(), PNG
            image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
            return out.getvalue(), JPEG
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _("The image is too large in pixels to be processed safely."), code="image_bomb"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image is damaged and cannot be read."), code="corrupt"
        ) from error


def thumbnail(data: bytes, *, size: int = 480) -> ContentFile:
    """A JPEG thumbnail at most `size` pixels wide or high."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((size, size))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=82, optimize=True)
    return ContentFile(out.getvalue(), name="thumb.jpg")


def _safe_name(name: str, kind: FileKind) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0][:80] or "file"
    cleaned = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in stem).strip() or "file"
    return f"{cleaned}.{kind.extension}"


@contextmanager
def removed_if_not_committed() -> Iterator[list]:
    """Around a service's `transaction.atomic()` block that stores files: the FieldFiles it
    appends to the list it is given (after `.save(..., save=False)`) are deleted again if the
    block raises, since the rows naming them are rolled back. A crash between the file and
    the commit still leaves the file: `manage.py find_orphan_files` finds it (decision 0032).
    Files are written before the rows that name them, never after: an orphan file is
    harmless, a row naming no file is a lost document."""
    stored: list = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            if field_file.name:
                field_file.storage.delete(field_file.name)
        raise
