"""Realistic synthetic Party reports, from the project's own grammar tables (kg/data/).

A pool of documents (number, type, issuer code, body, date) is cited by reports written in the
phrasing of real ones: full citations with dates and issuers, lists sharing one date, short
forms, relations (thực hiện, sơ kết N năm thực hiện, sửa đổi bổ sung, thay thế, hướng dẫn thực
hiện, căn cứ), and filler prose. Deterministic for a seed.

    .venv/bin/python bench/synth.py OUT_DIR --reports 1000 [--seed 1]
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from kg import tables

FILLER = [
    "Chi bộ đã quán triệt, triển khai nghiêm túc các nội dung đến toàn thể cán bộ, đảng viên.",
    "Công tác kiểm tra, giám sát được tăng cường, gắn với xây dựng chỉnh đốn Đảng.",
    "Nhiệm kỳ 2020 - 2025, tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ đạt 7,3 – 7,8%/năm.",
    "Điện thoại liên hệ: 0225.3842.123; Điều 1 của Quy chế được sửa đổi.",
    "Hội nghị tổ chức vào ngày 30/3/2023 với sự tham dự của các đồng chí Ủy viên Ban Thường vụ.",
    "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh được duy trì thường xuyên.",
    "Đổi mới nội dung, phương thức sinh hoạt chi bộ, nâng cao chất lượng đội ngũ đảng viên.",
]
TITLES = ["về tăng cường công tác dân vận", "về đẩy mạnh học tập và làm theo tư tưởng Hồ Chí Minh",
          "về xây dựng, chỉnh đốn Đảng và hệ thống chính trị", "về công tác tiếp dân và giải quyết khiếu nại",
          "về phát triển kinh tế - xã hội năm 2024", "về nâng cao chất lượng sinh hoạt chi bộ"]
ISSUERS = [("TW", "Bộ Chính trị"), ("TW", "Ban Bí thư"), ("TW", "Ban Chấp hành Trung ương"), ("TU", "Ban Thường vụ Tỉnh ủy"),
           ("TU", "Ban Thường vụ Thành ủy"), ("TU", "Thành ủy"), ("HU", "Ban Thường vụ Huyện ủy"),
           ("ĐUK", "Ban Thường vụ Đảng ủy Khối"), ("CBDV", "Chi bộ")]
TYPES = ["nghi-quyet", "chi-thi", "ket-luan", "quy-dinh", "quyet-dinh", "huong-dan", "ke-hoach", "chuong-trinh",
         "thong-tri", "thong-bao", "cong-van", "de-an"]


@dataclass
class Doc:
    number: int
    word: str
    code: str
    issuer_code: str
    body: str
    date: tuple[int, int, int]

    @property
    def symbol(self) -> str:
        return f"{self.number:02d}-{self.code}/{self.issuer_code}"

    def cite(self, rng: random.Random, full: bool = True) -> str:
        d, m, y = self.date
        if not full:
            return f"{self.word} {'số ' if rng.random() < 0.5 else ''}{self.symbol}"
        date = f"ngày {d}/{m}/{y}" if rng.random() < 0.8 else f"ngày {d:02d} tháng {m:02d} năm {y}"
        return f"{self.word} số {self.symbol}, {date} của {self.body}"


def make_pool(rng: random.Random, size: int) -> list[Doc]:
    types = tables.doc_types()
    pool, used = [], set()
    while len(pool) < size:
        t = types[rng.choice(TYPES)]
        code = t.codes[0]
        issuer_code, body = rng.choice(ISSUERS)
        number = rng.randint(1, 1500)
        year = rng.randint(2005, 2025)
        if (number, code, issuer_code, year) in used:
            continue
        used.add((number, code, issuer_code, year))
        pool.append(Doc(number, t.vi, code, issuer_code, body, (rng.randint(1, 28), rng.randint(1, 12), year)))
    return pool


def make_report(rng: random.Random, pool: list[Doc]) -> str:
    own = rng.choice(pool)
    parts = [f"BÁO CÁO\n\nKết quả thực hiện {own.cite(rng)}\n"]
    for _ in range(rng.randint(6, 14)):
        a, b, c = rng.sample(pool, 3)
        kind = rng.random()
        if kind < 0.25:
            s = f"{a.cite(rng)} {rng.choice(TITLES)}, tiếp tục thực hiện {b.cite(rng, False)}."
        elif kind < 0.4:
            s = f"{a.cite(rng)} sơ kết {rng.randint(2, 10)} năm thực hiện {b.cite(rng, rng.random() < 0.5)}."
        elif kind < 0.5:
            s = f"{a.cite(rng)} về việc sửa đổi, bổ sung {b.cite(rng, False)}."
        elif kind < 0.55:
            s = f"{a.cite(rng)} thay thế {b.cite(rng, False)}."
        elif kind < 0.6:
            s = f"{a.cite(rng)} hướng dẫn thực hiện {b.cite(rng, False)}."
        elif kind < 0.75:
            d, m, y = c.date
            s = f"Tổng kết {a.word} số {a.symbol}, {c.word} số {c.symbol}, ngày {d}/{m}/{y} của {c.body}."
        elif kind < 0.85:
            s = f"{a.body} đã ban hành {a.word} số {a.symbol} {rng.choice(TITLES)}; việc thực hiện {a.word} {a.number} còn chậm."
        else:
            s = f"Căn cứ {a.cite(rng, False)}, {rng.choice(FILLER).lower()}"
        parts.append(s)
        parts.extend(rng.sample(FILLER, rng.randint(1, 3)))
    return "\n\n".join(parts) + "\n"


def generate(out: Path, reports: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    pool = make_pool(rng, max(200, reports // 5))
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(reports):
        sub = out / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        p = sub / f"report-{i:06d}.txt"
        p.write_text(make_report(rng, pool), encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(len(generate(a.out, a.reports, a.seed)), "reports in", a.out)
