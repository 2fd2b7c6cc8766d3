"""Product classification of Decision 148/QĐ-TTg (24/02/2023), Annex I: 6 sectors, 17 groups,
26 product sets. Set numbers and names as in the annex (and the scoring forms' file names);
group names as commonly cited from the annex (to be checked against the official text)."""

from products.enums import Classification

CLASSIFICATION = Classification.QD148_2023

# (sector number, sector name, [(group code, group name, [(set number, set name, slug)])])
TAXONOMY_148_2023 = [
    (
        1,
        "Thực phẩm",
        [
            (
                "1.1",
                "Thực phẩm tươi sống",
                [
                    (1, "Rau, củ, quả, hạt tươi", "rau-cu-qua-hat-tuoi"),
                    (2, "Thịt, thủy sản, trứng, sữa tươi", "thit-thuy-san-trung-sua-tuoi"),
                ],
            ),
            (
                "1.2",
                "Thực phẩm thô, sơ chế",
                [
                    (3, "Gạo, ngũ cốc, hạt sơ chế khác", "gao-ngu-coc-hat-so-che-khac"),
                    (
                        4,
                        "Mật ong, mật khác và nông sản thực phẩm khác",
                        "mat-ong-mat-khac-va-nong-san-thuc-pham-khac",
                    ),
                ],
            ),
            (
                "1.3",
                "Thực phẩm chế biến",
                [
                    (5, "Đồ ăn nhanh", "do-an-nhanh"),
                    (6, "Chế biến từ gạo, ngũ cốc", "che-bien-tu-gao-ngu-coc"),
                    (7, "Chế biến từ rau, củ, quả, hạt", "che-bien-tu-rau-cu-qua-hat"),
                    (
                        8,
                        "Chế biến từ thịt, thủy sản, trứng, sữa, các sản phẩm từ mật ong",
                        "che-bien-tu-thit-thuy-san-trung-sua-cac-san-pham-tu-mat-ong",
                    ),
                ],
            ),
            (
                "1.4",
                "Gia vị",
                [
                    (
                        9,
                        "Tương, nước mắm, gia vị dạng lỏng khác",
                        "tuong-nuoc-mam-gia-vi-dang-long-khac",
                    ),
                    (10, "Gia vị khác (muối, hành, tỏi, tiêu…)", "gia-vi-khac-muoi-hanh-toi-tieu"),
                ],
            ),
            (
                "1.5",
                "Chè",
                [
                    (11, "Chè tươi, chè chế biến", "che-tuoi-che-che-bien"),
                    (12, "Sản phẩm trà từ thực vật khác", "san-pham-tra-tu-thuc-vat-khac"),
                ],
            ),
            (
                "1.6",
                "Cà phê, ca cao",
                [
                    (13, "Sản phẩm cà phê, ca cao", "san-pham-ca-phe-ca-cao"),
                ],
            ),
        ],
    ),
    (
        2,
        "Đồ uống",
        [
            (
                "2.1",
                "Đồ uống có cồn",
                [
                    (14, "Rượu trắng", "ruou-trang"),
                    (15, "Đồ uống có cồn khác", "do-uong-co-con-khac"),
                ],
            ),
            (
                "2.2",
                "Đồ uống không cồn",
                [
                    (
                        16,
                        "Nước khoáng thiên nhiên, nước uống tinh khiết đóng chai",
                        "nuoc-khoang-thien-nhien-nuoc-uong-tinh-khiet-dong-chai",
                    ),
                    (17, "Đồ uống không cồn khác", "do-uong-khong-con-khac"),
                ],
            ),
        ],
    ),
    (
        3,
        "Dược liệu và sản phẩm từ dược liệu",
        [
            (
                "3.1",
                "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền",
                [
                    (
                        18,
                        "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền",
                        "thuc-pham-chuc-nang-thuoc-duoc-lieu-thuoc-y-hoc-co-truyen",
                    ),
                ],
            ),
            (
                "3.2",
                "Mỹ phẩm",
                [
                    (
                        19,
                        "Mỹ phẩm có thành phần từ thảo dược",
                        "my-pham-co-thanh-phan-tu-thao-duoc",
                    ),
                ],
            ),
            (
                "3.3",
                "Tinh dầu và thảo dược khác",
                [
                    (20, "Tinh dầu và thảo dược khác", "tinh-dau-va-thao-duoc-khac"),
                ],
            ),
        ],
    ),
    (
        4,
        "Hàng thủ công mỹ nghệ",
        [
            (
                "4.1",
                "Thủ công mỹ nghệ gia dụng, trang trí",
                [
                    (
                        21,
                        "Thủ công mỹ nghệ gia dụng, trang trí",
                        "thu-cong-my-nghe-gia-dung-trang-tri",
                    ),
                ],
            ),
            (
                "4.2",
                "Vải, may mặc",
                [
                    (22, "Vải, may mặc", "vai-may-mac"),
                ],
            ),
        ],
    ),
    (
        5,
        "Sinh vật cảnh",
        [
            ("5.1", "Hoa", [(23, "Hoa", "hoa")]),
            ("5.2", "Cây cảnh", [(24, "Cây cảnh", "cay-canh")]),
            ("5.3", "Động vật cảnh", [(25, "Động vật cảnh", "dong-vat-canh")]),
        ],
    ),
    (
        6,
        "Dịch vụ du lịch",
        [
            (
                "6.1",
                "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
                [
                    (
                        26,
                        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
                        "dich-vu-du-lich-cong-dong-du-lich-sinh-thai-va-diem-du-lich",
                    ),
                ],
            ),
        ],
    ),
]
