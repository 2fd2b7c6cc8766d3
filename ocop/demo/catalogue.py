"""The demo's catalogue: the story, packaging and photos of the demo's certified products,
as their cooperatives would write and take them (through the products' own services).

The photos are drawn here (Pillow: a field in the product's colour, its name and stars),
since the demo ships no pictures; they go through the same upload checks, re-encoding and
sizes as a phone's."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from evaluations.models import Certificate
from products.models import ProductPhoto
from products.services.products import product_photos_add, product_update

# name → (story, packaging, shelf life, colour of the drawn photo)
STORIES = {
    "Gạo Séng Cù Mường Bi (demo)": (
        "Giống lúa Séng Cù cấy một vụ trên ruộng bậc thang Mường Bi, nước suối đầu nguồn; "
        "hạt thon dài, cơm dẻo và thơm, để nguội vẫn mềm.",
        "Túi hút chân không 2 kg và 5 kg",
        "12 tháng",
        (226, 214, 170),
    ),
    "Rượu ngô men lá Mãn Đức (demo)": (
        "Ngô bản hạt nhỏ ủ men lá rừng theo bài thuốc của người Mường, chưng cất hai lần, "
        "hạ thổ ba tháng trong chum sành.",
        "Chai thủy tinh 500 ml, hộp quà 2 chai",
        "Không hết hạn khi còn nút kín",
        (196, 160, 92),
    ),
    "Gà đồi Mãn Đức (demo)": (
        "Gà ri lai thả đồi, ăn ngô và thóc của hộ thành viên, nuôi trên 150 ngày; thịt "
        "chắc, da giòn.",
        "Gà nguyên con làm sạch, đóng khay hút chân không",
        "3 ngày (ngăn mát), 6 tháng (ngăn đá)",
        (214, 120, 64),
    ),
    "Thổ cẩm Mường Bi (demo)": (
        "Khăn, túi và váy dệt tay trên khung cửi của phụ nữ Mường Bi, hoa văn trống đồng, "
        "nhuộm màu từ lá chàm và vỏ cây.",
        "Hộp giấy kraft có thẻ truy xuất",
        "",
        (150, 48, 60),
    ),
    "Bưởi đỏ Tân Lạc (demo)": (
        "Bưởi đỏ trồng trên đất đồi Tân Lạc, múi đỏ hồng, vị ngọt thanh, chín vào dịp Tết.",
        "Quả có tem truy xuất, thùng 10 quả",
        "30 ngày",
        (222, 92, 74),
    ),
    "Mía tím Tân Lạc (demo)": (
        "Mía tím thân mềm, nhiều nước, trồng ven sông Bưởi; bán cả cây và nước mía đóng chai.",
        "Bó 10 cây; chai 330 ml",
        "7 ngày",
        (112, 64, 120),
    ),
}
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size: int):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # a machine without the DejaVu fonts: Pillow's own
        return ImageFont.load_default(size)


def drawn_photo(name: str, stars: int, colour: tuple[int, int, int], n: int) -> bytes:
    """A 1600 × 1200 JPEG: the product's colour, a round shape, its name and stars."""
    image = Image.new("RGB", (1600, 1200), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 60) for c in colour)
    for step in range(0, 1200, 8):  # a soft vertical gradient
        shade = tuple(max(0, c - step // 30) for c in colour)
        draw.rectangle([0, step, 1600, step + 8], fill=shade)
    radius = 360 if n == 1 else 280
    centre = (800, 520) if n == 1 else (560, 560)
    draw.ellipse(
        [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
        fill=light,
    )
    draw.text((800, 980), name.replace(" (demo)", ""), fill="white", font=_font(84), anchor="mm")
    draw.text((800, 1100), "★" * stars, fill=(255, 214, 64), font=_font(72), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def seed_catalogue() -> int:
    """The demo's certified products get their story and two photos (once); returns how
    many products were completed."""
    done = 0
    certificates = Certificate.objects.filter(
        product_name__in=STORIES, decision__import_batch__isnull=True
    ).select_related("product__producer")
    seen = set()
    for certificate in certificates.order_by("-issued_on"):
        product = certificate.product
        if product.pk in seen or ProductPhoto.objects.filter(product=product).exists():
            continue
        seen.add(product.pk)
        story, packaging, shelf_life, colour = STORIES[certificate.product_name]
        member = product.producer.members.select_related("user").order_by("pk").first()
        if member is None:
            continue
        product_update(
            product=product,
            actor=member.user,
            description=story,
            packaging=packaging,
            shelf_life=shelf_life,
        )
        images = [
            SimpleUploadedFile(
                f"anh-{n}.jpg",
                drawn_photo(certificate.product_name, certificate.stars, colour, n),
                content_type="image/jpeg",
            )
            for n in (1, 2)
        ]
        product_photos_add(product=product, images=images, actor=member.user)
        done += 1
    return done
