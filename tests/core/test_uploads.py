"""The upload checks every app uses: content sniffing, size limits, image re-encoding."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.core.uploads import MAX_IMAGE_PIXELS, MB, check_document, check_image, thumbnail

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    exif[0x8825] = {2: (21.0, 1.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def _office(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return out.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", PDF_BYTES, "pdf"),
        ("photo.jpg", _jpeg_with_exif(), "jpeg"),
        ("label.png", _png(), "png"),
        ("plan.docx", _office("docx"), "docx"),
        ("table.xlsx", _office("xlsx"), "xlsx"),
    ],
)
def test_accepted_documents_are_recognised_by_content(name, data, kind):
    checked = check_document(_upload(name, data))

    assert checked.kind.code == kind
    assert checked.content.name.endswith("." + checked.kind.extension)


def test_the_kind_comes_from_the_content_not_the_name():
    checked = check_document(_upload("scan.pdf", _png()))

    assert checked.kind.code == "png"
    assert checked.content.name == "scan.png"


def test_an_executable_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_document(_upload("giay-phep.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200))

    assert error.value.code == "file_type"


def test_a_zip_that_is_not_an_office_file_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.sh", "rm -rf /")

    with pytest.raises(ValidationError) as error:
        check_document(_upload("plan.docx", out.getvalue()))

    assert error.value.code == "file_type"


def test_an_oversized_file_is_refused_before_reading_it_all():
    with pytest.raises(ValidationError) as error:
        check_document(_upload("big.pdf", PDF_BYTES + b"0" * 2000), max_bytes=1000)

    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        check_document(_upload("empty.pdf", b""))

    assert error.value.code == "empty"


def test_a_truncated_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_document(_upload("cut.pdf", PDF_BYTES[:20]))

    assert error.value.code == "corrupt"


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError) as error:
        check_image(_upload("cut.jpg", _jpeg_with_exif()[:300]))

    assert error.value.code == "corrupt"


def test_exif_is_stripped_from_images():
    original = _jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really has EXIF

    checked = check_image(_upload("photo.jpg", original))

    assert dict(Image.open(io.BytesIO(checked.content.read())).getexif()) == {}
    assert b"Secret Camera Maker" not in checked.content.open().read()


def test_an_image_bomb_is_refused():
    # A PNG whose header declares far more pixels than the budget; its data is tiny.
    side = int(MAX_IMAGE_PIXELS**0.5) + 100
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")

    with pytest.raises(ValidationError) as error:
        check_image(_upload("bomb.png", out.getvalue()))

    assert error.value.code == "image_bomb"


def test_a_pdf_is_not_an_image():
    with pytest.raises(ValidationError) as error:
        check_image(_upload("photo.jpg", PDF_BYTES))

    assert error.value.code == "file_type"


def test_thumbnail_fits_the_box():
    data = check_image(_upload("p.png", _png((1200, 600)))).content.read()

    thumb = Image.open(io.BytesIO(thumbnail(data, size=480).read()))

    assert thumb.size == (480, 240)
    assert thumb.format == "JPEG"


def test_names_are_made_safe():
    checked = check_document(_upload("../../etc/pass wd;rm.pdf", PDF_BYTES))

    assert checked.content.name == "pass wd_rm.pdf"


# --- Office files are archives: zip bombs ------------------------------------------------------


def _office_with(members: dict[str, int], *, kind: str = "docx", stored: bool = False) -> bytes:
    """An Office file with extra members of so many zero bytes each, deflated unless `stored`:
    a few hundred kilobytes on disk for hundreds of megabytes unpacked."""
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    chunk = b"\0" * MB
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        for name, size in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with z.open(info, "w", force_zip64=size > 2**31) as member:
                for _ in range(size // MB):
                    member.write(chunk)
                member.write(b"\0" * (size % MB))
    return out.getvalue()


def test_a_zip_bomb_named_docx_is_refused():
    bomb = _office_with({"word/media/image1.xml": 300 * MB})
    assert len(bomb) < 2 * MB  # small on disk, 300 MB unpacked

    with pytest.raises(ValidationError) as error:
        check_document(_upload("ho-so.docx", bomb))

    assert error.value.code == "archive_size"
    assert "100" in error.value.messages[0]  # names the limit (100 MB)


def test_an_xlsx_bomb_is_refused():
    with pytest.raises(ValidationError) as error:
        check_document(_upload("bang.xlsx", _office_with({"xl/sheet1.xml": 300 * MB}, kind="xlsx")))

    assert error.value.code == "archive_size"


def test_an_office_file_compressed_far_beyond_normal_is_refused():
    # 5 MB of zeros deflate to about 5 KB: a ratio near 1000, under the size limit.
    with pytest.raises(ValidationError) as error:
        check_document(_upload("plan.docx", _office_with({"word/document2.xml": 5 * MB})))

    assert error.value.code == "archive_ratio"
    assert "100" in error.value.messages[0]


def test_an_office_file_with_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for n in range(1001):
            z.writestr(f"word/part{n}.xml", "<x/>")

    with pytest.raises(ValidationError) as error:
        check_document(_upload("plan.docx", out.getvalue()))

    assert error.value.code == "archive_entries"
    assert "1000" in error.value.messages[0]


def test_archive_limits_are_settings(settings):
    settings.OCOP_ARCHIVE_MAX_UNCOMPRESSED_BYTES = MB
    # Stored (not compressed): the ratio is 1, only the size limit applies.
    data = _office_with({"word/media/image1.png": 2 * MB}, stored=True)

    with pytest.raises(ValidationError) as error:
        check_document(_upload("plan.docx", data))

    assert error.value.code == "archive_size"
    assert check_document(_upload("plan.docx", _office("docx"))).kind.code == "docx"


def test_an_office_file_whose_declared_sizes_lie_is_refused():
    """The central directory says 1 KB; the member inflates to 3 MB. Inflating is capped by
    the declared size, and the checksum then fails: refused as damaged, never unpacked whole."""
    data = bytearray(_office_with({"word/media/image1.png": 3 * MB}, stored=False))
    real = (3 * MB).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    assert data.count(real) == 2  # the local header and the central directory
    data = data.replace(real, fake)

    with pytest.raises(ValidationError) as error:
        check_document(_upload("plan.docx", bytes(data)))

    assert error.value.code == "corrupt"


def test_a_normal_office_file_with_some_text_is_accepted():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        text = "".join(
            f"<w:p>Đoạn {n}: mật ong bạc hà Mèo Vạc, {n * 7919 % 10007}</w:p>" for n in range(20000)
        )
        z.writestr("word/document.xml", text)

    checked = check_document(_upload("thuyet-minh.docx", out.getvalue()))

    assert checked.kind.code == "docx"
