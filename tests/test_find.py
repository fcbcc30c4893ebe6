import pytest

from kg import find


def symbols(text):
    return [find.symbol_text(s) for s in find.symbols(text)]


@pytest.mark.parametrize("text,expected", [
    ("Kết luận số 01-KL/TW", ["01-KL/TW"]),
    ("Nghị quyết số 25 - NQ/TW", ["25-NQ/TW"]),
    ("Đề án 12- ĐA/TU", ["12-ĐA/TU"]),
    ("Chương trình 03-Ctr/TU và 17-CTr/ĐUK", ["03-Ctr/TU", "17-CTr/ĐUK"]),
    ("Kết luận 210-KL/TƯ", ["210-KL/TU"]),   # OCR'd code
    ("Quy định số 11-QĐi/TW", ["11-QĐi/TW"]),
    ("Công văn số 45-CV/BTGDVTU", ["45-CV/BTGDVTU"]),
    ("Quy chế 05-QC/BTCTU-BDVTU", ["05-QC/BTCTU-BDVTU"]),
    ("Luật số 59/2020/QH14", ["59/2020/QH14"]),
    ("Nghị định số 15/2020/NĐ-CP", ["15/2020/NĐ-CP"]),
    ("Quyết định số 12/2021/QĐ-UBND", ["12/2021/QĐ-UBND"]),
    ("Quyết định 1299/QĐ-TTg, Công văn 4912/UBND-NC", ["1299/QĐ-TTg", "4912/UBND-NC"]),
])
def test_symbols(text, expected):
    assert symbols(text) == expected


@pytest.mark.parametrize("text", [
    "Điện thoại 0225.3842.123 hoặc 0912-345-678",
    "nhiệm kỳ 2020 - 2025, giai đoạn 2021-2026",
    "tăng trưởng 7,3 – 7,8%/năm",
    "Điều 1. Khoản 2, Điều 3",
    "Trang 3/12",
    "ngày 18/5/2021, 18-2-2019",
    "COVID-19/2020",
])
def test_not_symbols(text):
    assert symbols(text) == []


def test_state_symbol_parts():
    (s,) = list(find.symbols("Nghị định số 15/2020/NĐ-CP"))
    assert (s.system, s.number, s.year, s.type_code, s.issuer_code) == ("state", "15", 2020, "NĐ", "CP")
    (s,) = list(find.symbols("4912/UBND-NC"))
    assert (s.type_code, s.issuer_code) == (None, "UBND-NC")
