"""Small real files for upload tests, built in memory (no fixtures on disk)."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

MB = 1024 * 1024

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)
# A Windows executable's header, whatever the file is called.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def jpeg_with_exif(size=(64, 48), colour=(200, 40, 40)) -> bytes:
    """A JPEG carrying EXIF (camera make and GPS-like text) that uploads must strip."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "OCOP test camera"  # Make
    exif[0x0110] = "Secret phone model"  # Model
    exif[0x010E] = "GPS 20.6N 105.3E"  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png(size=(40, 30), colour=(20, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = jpeg_with_exif(size=(256, 256))
    return data[: len(data) // 3]


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small valid PNG whose header then claims a huge size (IHDR patched, CRC fixed)."""
    data = bytearray(png(size=(8, 8)))
    # Signature (8) + chunk length (4) + "IHDR" (4), then width and height.
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def _office_zip(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        if kind == "docx":
            archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        else:
            archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return out.getvalue()


def docx() -> bytes:
    return _office_zip("docx")


def xlsx() -> bytes:
    return _office_zip("xlsx")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def oversized(name: str, limit_mb: int) -> SimpleUploadedFile:
    """One byte over the limit; starts like a PDF so only the size is wrong."""
    data = b"%PDF-1.4\n" + b"0" * (limit_mb * MB)
    return SimpleUploadedFile(name, data, content_type="application/pdf")
