"""Stage 3: find citation candidates in normalised text with regular expressions.

Party symbols are ``<number>-<TYPE>/<ISSUER>`` ("01-KL/TW", "25 - NQ/TW", "03-Ctr/TU");
State ones ``<number>[/<year>]/<TYPE>-<ISSUER>`` ("15/2020/NĐ-CP", "1299/QĐ-TTg").
Every pattern is a sequence of bounded repeats over disjoint classes, so it runs in
linear time on hostile input (no nested quantifiers over overlapping classes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import tables
from .normalise import CASE_ODD_CHARS

_UP = "A-ZĐƯ"
_LETTER = "A-Za-zĐđƯư"

PARTY_SYMBOL = (
    rf"(?<![\d/.\-])(?P<pnum>[0-9]{{1,5}}) {{0,2}}- {{0,2}}(?P<ptype>[A-ZĐ][{_LETTER}]{{0,3}})"
    rf" {{0,2}}/ {{0,2}}(?P<piss>[{_UP}][{_UP}]{{0,9}}(?:-[{_UP}][{_UP}]{{0,9}})?)"
    rf"(?:/(?P<psuffix>[a-z]{{1,3}})|/(?P<ptail>[{_UP}]{{1,6}}))?(?![\w/])"
)
# State symbols; the old ones (1945-1990) too: "23/SL", "100/TTg", "03/NĐ-76" (the year after the
# code), "3/NQ/1976", "553BNV/HCĐP/NĐ". Spaces a typist put beside a "/" or "-" are allowed once:
# "15 /2024/TT-NHNN", "75/KH- UBND", "135/2020/NĐ -CP" (never " - ", which joins a sentence); emphasis opened after
# the dash ("349/TTr-**CP").
STATE_SYMBOL = (
    rf"(?<![\d/.\-])(?P<snum>[0-9]{{1,5}}(?:[a-zđ]|[A-ZĐ]{{2,4}}(?=/))?) ?(?:/(?P<syear>(?:19|20)[0-9][0-9]))?/ ?"
    rf"(?P<scode>[A-ZĐ][{_LETTER}]{{0,7}}[0-9]{{0,3}}(?:/[A-ZĐ][{_LETTER}]{{0,9}}(?=-))?"
    rf"(?:(?: -|- ?(?:\*\*)?)[A-ZĐ][{_LETTER}0-9&]{{0,11}}){{0,2}}(?:-(?P<syy>[4-9][0-9]))?)"
    rf"(?:/(?P<stail>(?:19|20)[0-9][0-9]|[A-ZĐ]{{1,6}}))?(?![\w/])"
)


def _digit_first(*alternatives: str, ahead: str = "") -> re.Pattern:
    r"""One pattern for alternatives that each open with ``(?<![\d/.\-])(?P<name>[0-9]{1,N}`` (or ``\d``), with
    that look-behind and the first digit taken out in front of them: the engine then jumps from
    digit to digit (a pattern that opens with a look-behind is tried at every character, 7×
    slower on real pages). The same matches; group ``name`` lacks the first digit, so a number is
    read as ``text[m.start():m.end(name)]``. ``ahead``: a look-ahead every match satisfies after its first
    digit (a digit that cannot open one is then given up at once). An alternative of another shape: the plain
    alternation."""
    rest, first = [], set()
    for alt in alternatives:
        head = re.match(r"\(\?<!\[\\d/\.\\-\]\)\(\?P<(\w+)>(\\d|\[0-9\])\{1,(\d+)\}", alt)
        if head is None:
            return re.compile("|".join(alternatives))
        first.add(head.group(2))
        rest.append(f"(?P<{head.group(1)}>{head.group(2)}{{0,{int(head.group(3)) - 1}}}" + alt[head.end():])
    if len(first) != 1:
        return re.compile("|".join(alternatives))
    digit = first.pop()
    return re.compile(rf"{digit}(?<![\d/.\-]{digit}){ahead}(?:" + "|".join(rest) + ")")


#: Every symbol has its first "/" within 15 characters after its first digit, on that line (a Party one after
#: at most 4 digits, " - ", 4 letters and 2 spaces; a State one after 4 digits, 4 letters and a space).
SYMBOL_SLASH_AHEAD = r"(?=[^\n]{0,15}/)"
#: The symbol pattern alone: what bench/ compares the whole extractor against. (The look-ahead: a digit of a
#: date, a table or a count opens no symbol and is given up at once; the scan 1.4× faster on the pool.)
SYMBOL = _digit_first(PARTY_SYMBOL, STATE_SYMBOL, ahead=SYMBOL_SLASH_AHEAD)

# (a table's cells glued: "ngày 14/11/200310/GP-UBND" is 2003, then the next cell's symbol)
_DATE_NUM = r"(?P<d>\d{1,2})\s{0,2}[/.\-]\s{0,2}(?P<m>\d{1,2})\s{0,2}[/.\-]\s{0,2}(?P<y>\d{4})(?:(?!\d)|(?=\d{1,5}/\s?[A-ZĐ]))"
# "ngay", "thang", "nam", "so": sites that scramble diacritics keep the symbols and dates
_DATE_WORDS = (r"(?P<d2>\d{1,2})\s{1,3}(?i:tháng|thang)\s{1,3}(?P<m2>\d{1,2})\s{1,3}(?i:năm|nam)\s{1,3}"
               r"(?P<y2>\d{4})(?!\d)")
#: A date stated right after a symbol: ", ngày 18/5/2021", " ngày 20 tháng 7 năm 2022", " (18-2-2019)".
DATE_AFTER = re.compile(
    r"[ \t]{0,3}(?:[*_]{1,3}(?=[ \t]{0,2}[,(]))?(?:\r?\n[ \t]{0,3})?[,(]?\s{0,3}"
    r"(?:(?:(?:(?i:được)\s{1,3})?(?i:ban hành|ký|kí|thông qua|cấp)(?:\s{1,3}(?i:vào))?\s{1,3})?(?i:ngày|ngay)\s{1,3}(?:" + _DATE_NUM + "|" + _DATE_WORDS + r")"
    r"|(?P<d3>\d{1,2})(?P<sep>[/\-])(?P<m3>\d{1,2})(?P=sep)(?P<y3>\d{4})(?!\d))\)?"
)
#: ", tại …" after a date: where something took place that day.
EVENT_PLACE = re.compile(r"\s{0,2},?\s{0,2}(?i:tại)\s")
#: "<body> đã ban hành Nghị quyết 27-NQ/TW vào ngày 21 tháng 5 năm 2018": "vào ngày" after a citation is its
#: date only when the words before say it was issued then ("thực hiện Nghị định … vào ngày …" is not).
ON_DAY_AFTER = re.compile(r"[ \t]{0,3},?\s{0,3}(?i:vào)\s{1,3}(?=(?i:ngày)\s)")
ISSUED_JUST_BEFORE = re.compile(r"(?:^|\s)(?i:ban hành|ký|kí|ra|công bố|thông qua)\s{1,3}$")
#: A date a typist broke ("ngày 04/7/025"): skipped (and reported) to read the issuer after it.
MALFORMED_DATE = re.compile(r"[ \t]{0,3},?\s{0,3}(?i:ngày)\s{1,3}(?P<d>\d{1,2}[/.\-]\d{1,2}[/.\-]\d{1,3})(?![\d/.\-])")
#: A name going on with a word (across a line break too).
NAME_GOES_ON_WORD = re.compile(r"[ \t]{0,2}\n?[ \t]{0,2}(?<=[ \t\n])[^\W\d_]")
#: Where a steering committee's name named after "của" ends: "về", "ngày", "tại", a clause break, a bracket.
STEERING_NAME_END = re.compile(r"\s(?:về|ngày|tại|do|theo|đã|(?:ban hành|ký))\s|[;.:()\"“”]|\n\s*\n")
#: "Ban Chỉ đạo … (của Chính phủ) ban hành": a steering committee's name runs up to its verb.
STEERING_NAME = re.compile(r"(?i:ban chỉ đạo)(?![\w])")
#: "của" / "do" / "(được) ban hành bởi" introducing the issuing body after the citation (emphasis marks
#: around the space too: "của* *Chính phủ").
OF_BODY = re.compile(r"\s{0,3},?\s{0,3}(?:Tải về\s{1,3})?(?i:của|do|(?:được\s{1,3})?(?:ban hành|ký)\s{1,3}bởi)(?:\s{1,3}|[*_]{1,2}\s{1,3}[*_]{1,2})")
#: "Hội nghị lần thứ sáu " before a body: the plenum of that body issued it.
PLENUM = re.compile(r"(?i:hội nghị)\s{1,2}(?:lần thứ\s{1,2}\w{1,6}\s{1,3})?")
#: "<body> ban hành / có / đã ký / đã kịp thời ban hành" right before a citation: that body issued it.
ISSUED_BY_BEFORE = re.compile(
    r"\s{1,3}(?:(?:đã|vừa|mới đây|gần đây|vừa qua|mới|cũng|lại|đã kịp thời|kịp thời|chính thức|thay mặt)\s{1,3}){0,2}"
    r"(?:ký ban hành|ban hành|ký|có|ra|thông qua)(?:\s{1,3}ban hành)?(?:\s{1,3}kèm theo)?\s{1,3}(?:các\s{1,3}|(?:\d{1,2}|hai|ba|bốn)\s{1,3})?[*_]{0,2}$"
)
#: The verbs one of which every ISSUED_BY_BEFORE match holds, starting at most ISSUED_VERB_REACH characters before
#: its end (the longest verb, then " ban hành", " kèm theo", the spaces, "các" or a number, emphasis).
ISSUED_VERBS = ("ký", "ban hành", "có", "ra", "thông qua")
ISSUED_VERB_REACH = 44
#: The longest match of APPROVED_BY_AT and of PASSIVE_ACT_AT, plus one (their "$" also matches before a
#: line break that ends the window): a look-back for one starts no further back.
APPROVED_BY_AT_WIDTH = 24 + 1
PASSIVE_ACT_AT_WIDTH = 8 + 1
#: "…, Chính phủ đã đề xuất …": a body followed by a tense word opens a clause of its own.
CLAUSE_VERB = re.compile(r"\s{1,3}(?:đã|đang|sẽ|vừa|cũng|tiếp tục)\s")
#: "… do <body> ban hành": after an unquoted title, only a body that issued it closes the citation.
ISSUING_VERB = re.compile(r"\s{1,3}(?:(?:đã|vừa)\s{1,3})?(?:ký ban hành|ban hành|ký|thông qua|cấp(?=\s{1,3}ngày))(?![\w])")
#: "Bộ Nội vụ đã có Quy chế ban hành kèm theo Quyết định …": the document a regulation was issued with.
ATTACHED_TO_BEFORE = re.compile(r"\s{1,3}(?i:ban hành kèm theo|kèm theo)\s{1,3}$")
#: "Ngày 24/02/1990 " or "- " opening a clause before its subject.
CLAUSE_OPENER = re.compile(r"[ \t]{0,3}(?:[-–•*+][ \t]{1,3})?(?:(?i:ngày|năm|tháng)[ \t]{1,3}[\d/.\-]{1,10}"
                           r"(?:[ \t]{1,3}(?:tháng|năm)[ \t]{1,3}\d{1,4}){0,2},?[ \t]{1,3})?")
#: "(nay là Chính phủ)": a bracket after a body's name.
BRACKET_AFTER_BODY = re.compile(r"[ \t]{0,2}\([^()\n]{1,40}\)")
#: "Quốc hội đã thông qua Luật Tổ chức chính quyền địa phương số 72/2025/QH15": a law's title between its type
#: word and "số".
LAW_TITLE_BEFORE = re.compile(r"(?:Bộ luật|Luật|Pháp lệnh)(?:[ \t]{1,2}[^\W\d_]{1,12}|,){1,16}[ \t]{1,2}(?i:số)[ \t]{0,2}:?[ \t]{0,2}$")
#: "Xét đề nghị của Bộ Giáo dục và Đào tạo về … (Tờ trình số …": the proposal whose papers a bracket lists.
PROPOSAL_OF = re.compile(r"(?i:đề nghị|đề xuất|kiến nghị|tờ trình)\s{1,3}(?i:của)\s{1,3}")
#: "do Đảng ủy Chính phủ báo cáo": after "do", a body doing something other than issuing it.
NOT_ISSUING_AFTER_DO = re.compile(r"\s{1,3}(?:(?:đã|sẽ|đang)\s{1,3})?(?:báo cáo|trình|chủ trì|đề xuất|phối hợp|thực hiện|tổ chức|soạn thảo"
                                  r"|xây dựng|dự thảo|đề nghị|quản lý|tham mưu|chuẩn bị|triển khai|theo dõi|giám sát|cung cấp)(?!\w)")
#: "<trích yếu> Vũ Đức Đam ký 28/07/2014" closing a list entry: a person's name, "ký", the day of signing, the entry's end.
SIGNED_ON_LATER = re.compile(r"[^\n.;]{0,200}?(?:[ \t]{1,2}[A-ZĐ][^\W\d_]{0,7}){2,4}[ \t]{1,2}(?:ký|kí)[ \t]{1,2}(?:(?i:ngày)[ \t]{1,2})?"
                             r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)[ \t*_)]{0,4}(?:\n|$|[.;])")
#: "… <trích yếu> do " later in the same clause: a body that issued the citation may follow.
#: How far after its start SIGNED_ON_LATER's "ký" may end (200, four name words, spaces): without one there, no match.
SIGNED_REACH = 250
DO_ISSUED_LATER = re.compile(r"[^.,;:\n()\"“”^]{0,240}?\s(?:do|được)\s{1,3}(?=[^\W\d_])")
#: Something like a symbol (a number joined to letters by "/" or "-"): another citation in between.
SYMBOL_LIKE = re.compile(r"\d\s?[/\-]\s?[^\W\d_]|[^\W\d_][/\-]\d")
#: "tại Quyết định số 1210/QĐ-TTg, Thủ tướng Chính phủ đã công nhận …": "in <document>, <body> did …" — the
#: body acting in the document is its issuer. Only "tại" (in it): "Thực hiện Quyết định …, UBND tỉnh đã …"
#: names who carries it out.
IN_DOCUMENT_BEFORE = re.compile(r"(?:^|[\s(])(?i:tại)\s{1,3}$")
#: The same with a pinpoint or another locator: "Tại Mục 5 Kết luận …", "Theo tiểu mục 5.2 Mục 5 Kết luận …", "Căn cứ
#: tại Mục 5 Nghị quyết …", "Trong Văn bản số …", or a pinpoint opening the line ("Tiểu mục 2.1 Mục 2 Phần II Hướng
#: dẫn …"), or the citation itself opening the line or the sentence.
_PINPOINTS = r"(?:(?i:tiểu mục|mục|điểm|khoản|điều|phần|chương|phụ lục)[ \t]{1,2}[\w.]{1,8}[ \t]{1,3}(?:(?i:của)[ \t]{1,3})?){0,5}"
LOCATED_IN_BEFORE = re.compile(
    r"(?:(?:^|[\s(])(?i:tại|theo|căn cứ(?:[ \t]{1,3}(?:tại|theo|vào))?|trong)[ \t]{1,3}" + _PINPOINTS +
    r"|(?:^|[.;\n][ \t]{0,3}(?:[-–•*+][ \t]{1,3})?)" + _PINPOINTS + r")$")
ACTS_IN_DOCUMENT = re.compile(
    r"\s{1,3}(?:(?:đã|vừa|cũng|chính thức)\s{1,3}){0,2}(?:công nhận|thông qua|quyết định|phê duyệt|ban hành|giao|quy định"
    r"|yêu cầu|chỉ đạo|đồng ý|cho phép|thành lập|kết luận|xác định|đề ra|nêu rõ|nhấn mạnh|sáp nhập|điều chỉnh"
    r"|phân công|bổ nhiệm|chỉ định|chuẩn y|điều động|công bố|giải thể|phong|tặng|truy tặng|khen thưởng|kỷ luật"
    r"|quyết nghị|thống nhất|tiếp nhận|hướng dẫn|có kết luận)(?!\w)")
#: ", " between a citation and the body that acts in it.
COMMA_BEFORE_BODY = re.compile(r"\s{0,2},\s{1,3}")
#: … or no comma after the year of the work ("Quyết định 3389/QĐ-BTC năm 2025 Bộ Tài chính xác định").
SPACE_BEFORE_BODY = re.compile(r"[ \t]{1,3}")
#: An official's title and a person's name right before a signing verb: "Chủ tịch Hồ Chí Minh (ký)".
TITLE_AND_PERSON_BEFORE = re.compile(r"(?<![\w])(?P<title>Chủ tịch|Thủ tướng|Bộ trưởng)(?:[ \t]{1,2}[A-ZĐ][^\W\d_]{0,7}){2,4}$")
#: A person's name after an official ("Thủ tướng Nguyễn Xuân Phúc quyết định").
PERSON_NAME = re.compile(r"(?:[ \t]{1,2}[A-ZĐ][^\W\d_]{0,7}){2,4}(?=[ \t])")
#: "Thay mặt Ủy ban Thường vụ Quốc hội, Chủ tịch Quốc hội … ký ban hành …": the body a signer acts for.
ON_BEHALF = re.compile(r"(?i:thay mặt)\s{1,3}(?P<body>[^,;\n]{3,80}),")
#: "… được Thủ tướng Chính phủ phê duyệt tại Quyết định …": the body that approved it by that document.
APPROVED_BY_AT = re.compile(r"\s{1,3}(?:phê duyệt|ban hành|thông qua|ký ban hành|ký)\s{1,3}(?:tại|theo|bằng)\s{1,3}$")
PASSIVE_BEFORE_BODY = re.compile(r"(?i:được|bị)\s{1,3}$")
#: "… được Chủ tịch nước bổ nhiệm chức danh Kiểm sát viên … theo Quyết định số …", "… được Ban Chấp hành Trung ương cho
#: chủ trương tại Nghị quyết số …": the act a body did by the document located after it.
PASSIVE_MARK = re.compile(r"(?<![\w])(?i:được)\s{1,3}")
PASSIVE_ACT_AT = re.compile(r"\s(?:theo|tại)\s{1,3}$")
PASSIVE_ACT = re.compile(r"\s{1,3}(?:bổ nhiệm|miễn nhiệm|phê duyệt|phê chuẩn|công nhận|thành lập|cho chủ trương|chuẩn y|điều động"
                         r"|khen thưởng|tặng|truy tặng|phong|kỷ luật|giao|quyết định)(?![\w])[^.;:\n()]{0,100}$")
#: "… của Trung ương" after a Central symbol: the Central Committee, named short ("Trung ương Đoàn",
#: "Trung ương Hội …" are other bodies).
OF_CENTRAL = re.compile(r"\s{0,3},?\s{0,3}(?i:của)\s{1,3}(?P<body>Trung ương(?: Đảng)?)(?!\w)(?!\s{1,2}[A-ZĐ])")
#: A bibliography entry: "HĐND tỉnh Cà Mau (ngày 28 tháng 4 năm 2025). "Nghị quyết số 15/NQ-HĐND …"": the
#: author is the issuer and the date in brackets its date.
REFERENCE_BEFORE = re.compile(r"\s{0,2}\((?:(?i:ngày)\s{1,3})?(?:(?P<d>\d{1,2})\s{1,3}tháng\s{1,3}(?P<m>\d{1,2})(?:\s{1,3}năm|,)\s{1,3}"
                              r"(?P<y>\d{4})|(?P<d2>\d{1,2})[/.\-](?P<m2>\d{1,2})[/.\-](?P<y2>\d{4}))\)\.\s{0,2}[*_]{0,2}[\"“]$")
#: " ĐCSVN" after an author's name in a bibliography entry.
ABBREVIATION_AFTER_BODY = re.compile(r" [A-ZĐ]{2,8}$")
#: "(ví dụ: Số: 89/2017/QĐXXST-KDTM)": a form's instructions show what a symbol looks like; no citation.
EXAMPLE_BEFORE = re.compile(r"(?i:ví dụ|chẳng hạn|vd)\s{0,2}[:,]?\s{0,3}(?:(?i:số)\s{0,2}:?\s{0,2})?$")
#: The same for a lower-cased copy of the text (`parse.lowered`): no (?i), the engine skips to "v" and "c".
EXAMPLE_BEFORE_LOWER = re.compile(EXAMPLE_BEFORE.pattern.replace("(?i:", "(?:"))
#: "Theo đề nghị của Sở Nội vụ tại Tờ trình số …": the body whose paper it is.
OF_BODY_AT = re.compile(r"\s{1,3}tại\s{1,3}" + _PINPOINTS + "$")
#: … the body's own word in that paper: a proposal, an opinion, a report, guidance, a direction.
WORD_OF_BODY = re.compile(r"(?i:đề nghị|ý kiến|kiến nghị|đề xuất|báo cáo|thẩm định|thẩm tra|trình|chỉ đạo|hướng dẫn|yêu cầu"
                          r"|kết luận|thông báo|văn bản|công văn|quyết định|phê duyệt|góp ý|quan điểm|chủ trương|định hướng"
                          r"|tinh thần)\s{1,3}(?i:của)\s{1,3}$"
                          r"|(?:,|\svà)\s{0,2}(?i:của)\s{1,3}$")  # "… của Bộ Chính trị tại A, của Ban Bí thư tại B"
#: "04 Nghị quyết của Bộ Chính trị, gồm: Nghị quyết số …", "[1] Các văn bản của Văn phòng Trung ương
#: Đảng: Quy định số …; Văn bản số …": an issuer named before a list (or in a footnote's heading).
LIST_INTRO = re.compile(r"(?:\s{0,2},?\s{0,2}(?:gồm|bao gồm|gồm có|như sau|sau đây)\s{0,2}:?|\s{0,2}:)\s{0,3}$")
#: What may stand between a body and the verb that says it issued something: its place, its term, an
#: abbreviation in brackets ("HĐND tỉnh Bạc Liêu ban hành", "Ban Bí thư Trung ương Đảng (khóa XI) đã ban
#: hành", "Bộ Nội vụ Việt Nam Cộng hòa ban hành", "Thủ tướng chính quyền Việt Nam Cộng hòa Trần Thiện Khiêm ban hành").
BODY_TO_VERB = re.compile(
    r"(?:\s{1,2}(?:\([^()\n]{1,40}\)|Cộng sản|Thường trực|xã hội chủ nghĩa|(?i:khóa|khoá)\s{1,2}(?:[IVXLC]{1,6}|\d{1,2})(?![\w]),?"
    r"|(?i:kỳ họp)(?:\s{1,2}(?:thứ|bất thường))?\s{1,2}\w{1,6}(?![\w])"
    r"|[A-ZĐ][^\W\d_]{0,12}|[0-9]{1,3}"
    r"|(?:chính quyền|của|mới|miền|nước|[Dd]ân chủ|hòa|tỉnh|thành phố|huyện|quận|thị xã|xã|phường)(?!\w))){1,10}"
)
@lru_cache(maxsize=1)
def body_kind():
    """A kind of organisation opening a proper name ("Sở GD&ĐT", "Hội đồng Thi đua - Khen thưởng Trung ương"), from
    kg/data/body_kinds.tsv: the kind, then a capitalised word."""
    kinds = "|".join(re.escape(k) for k in tables.body_kinds())
    return re.compile(r"(?<![\w&])(?:" + kinds + r")(?=[ \t]{1,2}[^\W\d_])")


#: One word of a body's proper name: a space or two, then letters (with "&" as in "GD&ĐT", a dot inside as in
#: "TP.HCM") or a dash joining two names ("Thi đua - Khen thưởng").
NAME_WORD_ACROSS_LINES = re.compile(r"(?:[ \t]{1,2}|[ \t]?\r?\n[ \t]{0,2})(?P<w>[-–&]|[^\W\d_](?:[^\W_]|&){0,15}(?:\.[^\W\d_]{1,8})?)(?![\w&])")
NAME_WORD = re.compile(r"[ \t]{1,2}(?P<w>[-–&]|[^\W\d_](?:[^\W_]|&){0,15}(?:\.[^\W\d_]{1,8})?)(?![\w&])")
#: A line or page break, then a capitalised word, or the end of the text read (a segment): a name may go on there.
NAME_GOES_ON = re.compile(r"[ \t]{0,2}(?:[\r\n\f][ \t]{0,2}(?=[^\W\d_])(?=[^a-zđà-ỹ])|[\r\n\f]?\Z)")
#: An official's title right before a body's name: "(đề nghị của) Giám đốc Sở …", "Chủ tịch Viện …", "Bộ trưởng Bộ …".
OFFICIAL_TITLE_BEFORE = re.compile(
    r"(?:Bộ trưởng|Thủ trưởng|Chủ nhiệm|Chủ tịch|Thống đốc|Chánh án|Viện trưởng|Trưởng ban|Cục trưởng|Tổng cục trưởng"
    r"|Vụ trưởng|Giám đốc|Tổng Giám đốc|Chánh Văn phòng|Chánh Thanh tra|Hiệu trưởng|Trưởng phòng)\s{1,3}$")


#: An official's title before the body whose documents they sign: "của Bộ trưởng Bộ Y tế" is Bộ Y tế's.
OFFICIAL = re.compile(
    r"(?:Bộ trưởng,\s{1,2}|Bộ trưởng\s{1,2}-\s{1,2})?(?:(?:Bộ trưởng|Thủ trưởng|Chủ nhiệm|Thống đốc|Chánh án|Viện trưởng|Trưởng ban"
    r"|Cục trưởng|Giám đốc|Chánh Văn phòng)\s{1,2}"
    # "Tổng Kiểm toán nhà nước" heads Kiểm toán nhà nước, "Tổng Thanh tra Chính phủ" Thanh tra Chính phủ
    r"|Tổng(?=\s{1,2}(?:Kiểm toán|Thanh tra)\s)\s{1,2})"
)
#: "ngày 09/11/2022 Hội nghị lần thứ sáu (lần 1) Ban Chấp hành Trung ương", "124/NQ-CP phiên họp Chính phủ
#: thường kỳ": the plenum or session issued it, "của" left out.
PLENUM_DIRECT = re.compile(r"\s{0,3},?\s{0,3}(?:(?i:hội nghị)\s{1,2}(?i:lần thứ)\s{1,2}\w{1,6}(?:\s{1,2}\((?i:lần)\s{1,2}\d{1,2}\))?"
                           r"|(?i:phiên họp)(?:\s{1,2}(?:thường kỳ|chuyên đề|thứ \w{1,6}))?)\s{1,3}")
#: "Ban Chỉ đạo về tổng kết thực hiện " right before a citation: the citation is part of a steering
#: committee's name, and "… của Chính phủ ban hành …" after it is the committee's.
STEERING_BEFORE = re.compile(r"(?i:ban chỉ đạo)(?:\s{1,2}[^\W\d_]{1,12}){0,8}\s{1,2}$")
#: "Nghị quyết 23/NQ-HĐND tỉnh Khánh Hòa": the place after a local council's or committee's symbol
#: names the issuer its code stands for.
CODE_PLACE = re.compile(r" {1,2}(?P<level>tỉnh|thành phố|Thành phố|TP\.?|huyện|quận|thị xã|xã|phường)"
                        r"(?P<name>(?: {1,2}[A-ZĐ][a-zà-ỹđ]{0,9}){1,3})(?!\w)")
#: Footnote marks and closing emphasis after a symbol ("19/NQ[19]", "694/QĐ-TTg,[34] ngày …", "^2^",
#: "*Quy định số 191-QĐ/TW* ngày …"): skipped to read what follows.
FOOTNOTE = re.compile(r",?(?:\[[0-9]{1,3}\]|\^[0-9]{1,3}\^?|\*|_(?!\w)){1,4}")
FOOTNOTE_OPENS = ",[^*_"  # the characters a FOOTNOTE match opens with
#: "… và ra Quyết định số …": a second act of the body named before the first.
AND_VERB_BEFORE = re.compile(r"\s(?:và|,)\s{1,2}(?:(?:đã|cũng|tiếp tục)\s{1,2})?(?:ra|ban hành|ký|ký ban hành|thông qua)\s{1,2}$")
#: "văn bản số A, số B": a list member named by "số" alone.
LIST_NUMBER_BEFORE = re.compile(r"(?:,|;|và)\s{1,2}(?i:số)\s{0,2}$")
#: The rest of a list item up to its ";" (no sentence end inside).
SEMICOLON_ITEM = re.compile(r"[^;.!?]{0,400};\s{0,3}")
#: "về" opening a title.
TITLE_WORD = re.compile(r"\s(?i:về)\s")
#: A relation cue in a trích yếu: "Nghị quyết 140/NQ-CP thực hiện Nghị quyết 66-NQ/TW".
TITLE_CUE = re.compile(r"\s(?i:về|thực hiện|triển khai|sửa đổi|bổ sung|hướng dẫn|thay thế|bãi bỏ|quy định chi tiết)\s")
#: "của " right before a body.
OF_BEFORE = re.compile(r"(?i:của)\s{1,3}$")
#: "Quyết định của Bộ Chính trị số31-QĐ/TW": "số" between a body and the symbol.
NUMBER_WORD_BEFORE = re.compile(r"\s{1,3}(?i:số)\s{0,2}:?\s{0,3}$|\s{1,3}$")
#: "Quy định 69-QĐ/TW năm 2022": the year of the work after a symbol, never its date.
YEAR_OF_WORK = re.compile(r"\s{1,3}(?i:năm)\s{1,3}(?:19|20)\d\d(?!\d)"
                          # a bare year before the issuer ("Hướng dẫn 25-HD/BTCTW 2023 của Ban Tổ chức Trung ương")
                          r"|[ \t]{1,2}(?:19|20)\d\d(?=[ \t]{1,2}(?:của|do)\s)")
TERM = re.compile(r"(?:\s{1,2}\d{1,2})?\s{1,3}\(?(?i:khóa)\s{1,3}(?P<term>[IVXLC]{1,7}|\d{1,2})(?![\w])\)?")
#: "Ngày 12/12/2013, Bộ Chính trị ban hành …": a date that opens the sentence of an issuing body.
DATE_OPENS = re.compile(r"(?:^|[.;:!?]\s{1,3}|\n\s{0,3}(?:[-–•*+]\s{1,3})?|\][ \t]{0,2}|,[ \t]{1,3}|[-–•*+][ \t]{1,3}|[*_]{1,2}[ \t]{0,2})(?i:ngày)\s{1,3}(?:(?P<d>\d{1,2})\s{0,2}[/.\-]\s{0,2}(?P<m>\d{1,2})"
                        r"\s{0,2}[/.\-]\s{0,2}(?P<y>\d{4})|" + _DATE_WORDS + r"),?\s{1,3}(?:(?i:thay mặt)\s{1,3})?$")
#: Words that may stand between a type word and its number: "Quy chế phối hợp số", "Kế hoạch liên tịch số".
TYPE_QUALIFIERS = ("phối hợp", "liên tịch", "làm việc", "kiểm tra", "giám sát", "công tác", "toàn khóa", "thẩm định",
                   "tổng kết", "sơ kết", "chuyên đề", "liên ngành", "hành động")
#: Qualifiers that belong to a body's name: "… các cơ quan thành phố", "Ban Chấp hành Đảng bộ thành phố".
BODY_QUALIFIER = re.compile(
    r" {1,2}(?:(?:khối )?(?:các )?cơ quan(?: {1,2}(?:thành phố|tỉnh|Trung ương))?|[tT]hành phố|[tT]ỉnh|Trung ương Đảng"
    r"|(?:huyện|quận|thị xã|xã|phường|thị trấn)(?= {1,2}[A-ZĐ]))"
    r"(?![\w])"
)
BODY_NUMBER = re.compile(r" {1,2}[0-9]{1,3}(?![\w/.,-])")
#: A place after a local body ("Thành ủy Hà Nội", "tỉnh Bình Phước"); never the capitalised first word of
#: the title that follows ("… tỉnh Bình Phước Thành lập …", "… Đồng Nai Sửa đổi …").
#: "TP" / "TP." for "thành phố" after a local State body, with the city's name or alone.
CITY_ABBREVIATION = re.compile(r" {1,2}(?:TP\.? ?HCM(?!\w)|(?:TP|Tp)\.?(?!\w)(?:(?: {1,2}[A-ZĐ][a-zà-ỹđ]{0,9}){1,3}(?!\w))?)")
PLACE_NAME = re.compile(r"(?:(?: {1,2}[-–])? {1,2}(?!(?:Thành lập|Sửa đổi|Cho phép|Cho|Phê duyệt|Ban hành|Quy định|Bãi bỏ|Về|V/v"
                        r"|Hướng dẫn|Triển khai|Thực hiện|Công bố|Giao|Kiện toàn|Bổ sung|Tách|Sáp nhập|Điều chỉnh|Phân cấp|Giải thể"
                        r"|Chuyển|Đổi|Công nhận|Quy hoạch|Phân công|Thông qua|Tổ chức|Xếp|Nâng|Chia|Hợp nhất|Quyết định|Ủy quyền)(?![\w]))"
                        r"[A-ZĐ][a-zà-ỹđ]{0,9}){1,4}(?![\w])")
@lru_cache(maxsize=1)
def province():
    """A province's or centrally-run city's name (kg/data/provinces.tsv) where a local body's place stands."""
    names = "|".join(re.escape(n) for n in tables.province_names())
    return re.compile(r" {1,2}(?:" + names + r")(?![\w])")


TITLE = re.compile(r"\s{0,3},?\s{0,3}(?i:về)\s{1,3}(?:việc\s{1,3})?")
QUOTED = re.compile(r"\s{0,2}[“\"](?P<q>[^”\"\n]{1,400})[”\"]")
#: An unquoted title runs to a clause break: ";", a line break, a bracket, or a full stop that ends
#: the sentence ("1.2" and "v.v." go on).
UNQUOTED_TITLE = re.compile(r"(?:[^;\n().^]|\.(?=[\w,])){1,300}")  # ("**^**" ends a wiki page's reference entry)
#: `UNQUOTED_TITLE` read run by run (`parse.unquoted_title_end`): a repeated group of two branches
#: costs ~90 ns a character, a character class a few.
TITLE_RUN = re.compile(r"[^;\n().^]*")
TITLE_DOT_GOES_ON = re.compile(r"\.(?=[\w,])")
UNQUOTED_TITLE_REACH = 300
#: Where an unquoted title stops before its clause break: a cue that does something to another
#: document ("… vi phạm thay thế Quy định số 07"), "do <Body>", "có hiệu lực", or the news
#: sentence after it ("… Nhân dân diễn ra vào sáng 16/9"). Searched after the title's first word,
#: so "về sửa đổi, bổ sung …" keeps its cue; "thực hiện" never stops a title ("về tiếp tục thực hiện …").
TITLE_STOP = re.compile(
    r"\s(?:được (?:sửa đổi|bổ sung|thay thế|bãi bỏ|hướng dẫn|cụ thể hóa)|thay thế|bãi bỏ|sửa đổi,? bổ sung|hết hiệu lực|có hiệu lực|hướng dẫn thực hiện|hướng dẫn thi hành"
    r"|đã|được ban hành|diễn ra|do(?= [A-ZĐ])"
    # "… và hướng dẫn của Bộ Nội vụ tại Công văn …": another body's word opens another item of the list
    r"|và\s{1,2}(?:hướng dẫn|ý kiến|chỉ đạo|kết luận|đề nghị|yêu cầu|kế hoạch|văn bản|công văn)\s{1,2}của)(?![\w])"
)
HEADER_SYMBOL = re.compile(r"(?m)^[ #*>\-]{0,6}(?i:số)\s{0,2}:?\s{0,3}$")


@lru_cache(maxsize=None)
def type_words(capitalised: bool = False) -> str:
    """Every type word as a regex alternation, longest first ("Quy chế phối hợp" before "Quy
    chế"); ``capitalised``: with a capital first letter, as a sentence or a title opens."""
    words = sorted(tables.type_by_word("party"), key=len, reverse=True)
    # as a trie ("k(?:ết luận|ế hoạch)"): the same matches, the longer word first, but a place
    # is tried once instead of once per word (the type words are tried at every character
    # before each symbol)
    return trie_alternation([w[0].upper() + w[1:] if capitalised else w for w in words])


@lru_cache(maxsize=None)
def type_word_before() -> re.Pattern:
    """A type word (and "số") ending exactly where a symbol starts: "Kết luận số ", "QUY ĐỊNH SỐ: "."""
    alt = type_words()
    qual = "|".join(re.escape(q) for q in TYPE_QUALIFIERS)
    # a bracketed qualifier after the word: "Quy định (Bổ sung) số 216-QĐ/TW", "Nghị định (sửa đổi) số …"
    return re.compile(rf"(?i:(?P<word>{alt}))(?:\s{{1,2}}(?i:{qual}))?(?:\s{{1,2}}\((?i:bổ sung|sửa đổi|sửa đổi, bổ sung|mới)\))?"
                      rf"(?:\s{{1,3}}(?i:số|so)\s{{0,2}}:?)?\s{{0,3}}$")


@lru_cache(maxsize=None)
def type_word_before_lower() -> re.Pattern:
    """`type_word_before` for a lower-cased copy of the text (`parse.lowered`): without (?i) the
    engine skips to the type words' first letters instead of trying every character. The same
    matches there (every word of the pattern is lower case)."""
    return re.compile(type_word_before().pattern.replace("(?i:", "(?:"))


@lru_cache(maxsize=None)
def type_word_lower() -> re.Pattern:
    """`type_word` for a lower-cased copy of the text (`parse.lowered`): the same matches there."""
    return re.compile(type_word().pattern.replace("(?i:", "(?:"))


@lru_cache(maxsize=None)
def at_type_word() -> re.Pattern:
    """"… của Ban Bí thư tại văn bản số …": a body followed by "tại" and a type word belongs to the
    citation that follows, never to the one before it."""
    return re.compile(rf"\s{{1,3}}tại\s{{1,3}}(?:các\s{{1,2}})?(?i:{type_words()})(?!\w)")


@lru_cache(maxsize=None)
def type_word() -> re.Pattern:
    """Any type word at a word boundary ("Quy chế", "Nghị quyết")."""
    alt = type_words()
    return re.compile(rf"(?<!\w)(?i:{alt})(?!\w)")


#: "(Báo cáo số …": a citation opening a bracket.
BRACKET_BEFORE = re.compile(r"\(\s{0,2}$")
#: "(số06-QĐ/TW": a symbol opening a bracket.
BRACKETED_NUMBER = re.compile(r"\(\s{0,2}(?:(?i:số)\s{0,2}:?\s{0,2})?$")


@lru_cache(maxsize=None)
def short_form() -> re.Pattern:
    """A type word and a bare number: "Nghị quyết 18", "Chỉ thị số 05" (no symbol)."""
    alt = type_words()
    return re.compile(rf"(?<!\w)(?i:(?P<word>{alt}))\s{{1,3}}(?:(?i:số)\s{{1,2}})?(?P<num>\d{{1,4}})(?![\w/\-.,]\d|[\w/\-])")


@lru_cache(maxsize=None)
def short_form_lower() -> re.Pattern:
    """`short_form` for lower-cased text, without (?i), the type words as a trie whose branches
    open with a letter (the look-behind after it): the regex engine then jumps from one such
    letter to the next instead of trying every character. The same matches."""
    words = sorted(tables.type_by_word("party"), key=len, reverse=True)
    if all(re.match(r"\w", w) for w in words):
        alt = trie_alternation(words, after_first=r"(?<!\w\w)")
    else:
        alt = "(?<!\\w)(?:" + type_words() + ")"
    return re.compile(rf"(?P<word>{alt})\s{{1,3}}(?:số\s{{1,2}})?(?P<num>\d{{1,4}})(?![\w/\-.,]\d|[\w/\-])")


def short_forms(text: str, lower: str | None = None, *, case_odd: bool | None = None, folded: bool = False):
    """``short_form().finditer(text)``, on the lower-cased text (``lower``, if made already)
    where that finds the same: lower-casing keeps every character one character, and no
    character of the text is one that (?i) matches without lower-casing to it ("ſ" for "s";
    ``case_odd``: whether one stands there, if known). Its group "word" is then lower-cased.
    ``folded``: the text's only decimal digits are 0-9 (`normalise` folds the others), so the
    numbers are looked for as [0-9], a cheaper class than \\d (the scan 1.4× faster)."""
    lower = text.lower() if lower is None else lower
    if case_odd is None:
        case_odd = _CASE_ODD.search(text) is not None
    if len(lower) == len(text) and not case_odd:
        found = _short_forms_by_number(lower, folded)
        return iter(found) if found is not None else short_form_lower().finditer(lower)
    return short_form().finditer(text)


@lru_cache(maxsize=None)
def _short_form_reversed(ascii_digits: bool = False) -> re.Pattern:
    """`short_form_lower` read backwards, over the reversed text: the number first (the engine
    skips to digits), then "số", then the type word spelt backwards (a trie, the longer word
    first, so a match reaches as far back as it can: "bộ luật 5", not "luật 5"). The number's
    look-ahead becomes look-behinds. ``ascii_digits``: [0-9] for \\d, for a text with no other digit."""
    words = sorted(tables.type_by_word("party"), key=len, reverse=True)
    alt = trie_alternation([w[::-1] for w in words])
    pattern = rf"\d(?<![\w/\-]\d)(?<!\d[\w/\-.,]\d)\d{{0,3}}(?:\s{{1,2}}ốs)?\s{{1,3}}(?:{alt})(?!\w)"
    return re.compile(pattern.replace(r"\d", "[0-9]") if ascii_digits else pattern)


def _short_forms_by_number(lower: str, ascii_digits: bool = False) -> list[re.Match] | None:
    """`short_form_lower().finditer(lower)` found from the numbers back: type words are
    everywhere in a report, bare numbers after a space far fewer. One scan of the reversed text
    finds, for each number, the leftmost type word that leads to it (where a left-to-right scan
    starts that match: two short forms never overlap); the match is then made again from there.
    None if one did not come out the same."""
    whole = short_form_lower()
    n = len(lower)
    out = []
    for r in _short_form_reversed(ascii_digits).finditer(lower[::-1]):
        m = whole.match(lower, n - r.end())
        if m is None or m.end() != n - r.start():
            return None
        out.append(m)
    out.reverse()
    return out


#: The characters where a lower-cased copy may miss what (?i) finds (see normalise.CASE_ODD_CHARS).
_CASE_ODD = re.compile("[" + CASE_ODD_CHARS + "]")


def case_odd(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds a character `_CASE_ODD` names (where a lower-cased copy
    of the text may miss what (?i) finds)."""
    return _CASE_ODD.search(text, start, len(text) if end is None else end) is not None


def trie_alternation(words, after_first: str = "", gap: str | None = None) -> str:
    """One alternation of ``words`` with their shared prefixes factored out ("b(?:an …|ộ …)"):
    the engine tries each place once, not once per word, and, each branch opening with a
    literal, skips to the places that can start one. Tries the longer word first, as a
    longest-first alternation does. ``after_first``: inserted after each word's first
    character; ``gap``: a character of the words that stands for " ?" (one space or none)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_branches(trie, 0, after_first, gap)


def _trie_branches(node: dict, depth: int, after_first: str, gap: str | None) -> str:
    """`trie_alternation`'s regex for the trie below ``node`` (a module function, not a nested
    one: a closure calling itself is a reference cycle, garbage for the collector on every call,
    and extractions run with the collector paused, see kg.collector)."""
    alts = []
    for ch, child in (node.items() if len(node) == 1 else sorted(node.items())):
        if ch:
            run = [" ?" if ch == gap else re.escape(ch), after_first if depth == 0 else ""]
            while len(child) == 1 and "" not in child:  # a run with one way on: no group, no recursion
                (ch, child), = child.items()
                run.append(" ?" if ch == gap else re.escape(ch))
            alts.append("".join(run) + _trie_branches(child, depth + 1, after_first, gap))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


class Scan:
    """``pattern.finditer`` with the places a match may start found first by a pattern the
    regex engine scans for fast. `re` skips ahead only when a pattern opens with a literal or a
    character class; an alternation of groups ("(?P<a>…)|(?P<b>…)", the relation cues) is tried
    at every character. ``Scan`` works out every string of ``reach`` characters a match can open
    with (from the parsed pattern), finds where one stands (a class of their first characters,
    each with a look-ahead of the rest: one character consumed, so no place is stepped over),
    and matches only there: the same matches as ``pattern.finditer``. An opening is cut short
    where the pattern goes on with what cannot be listed (a category such as \\s, a large class);
    a pattern with (?i), or that may match nothing, or whose openings are cut to nothing, is
    scanned as it is."""

    def __init__(self, pattern: re.Pattern, reach: int = 6):
        self.pattern = pattern
        openings = _openings(pattern, reach)
        self.places = None
        if openings:
            by_first: dict[str, set[str]] = {}
            for o in openings:
                o = o.rstrip(_CUT)
                by_first.setdefault(o[0], set()).add(o[1:])
            self.places = re.compile("|".join(
                re.escape(f) if "" in rest else f"{re.escape(f)}(?={trie_alternation(rest)})"
                for f, rest in sorted(by_first.items())))

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        if self.places is None:
            yield from self.pattern.finditer(text, pos, endpos)
            return
        match = self.pattern.match
        done = pos
        for p in self.places.finditer(text, pos, endpos):
            start = p.start()
            if start < done:
                continue  # inside the last match: finditer goes on from its end
            m = match(text, start, endpos)
            if m is not None:
                yield m
                done = m.end()


class _Unlisted(Exception):
    pass


_CUT = "\0"  # fills an opening cut short (a pattern that matches NUL only gets more places tried)


def _openings(pattern: re.Pattern, reach: int, cap: int = 400) -> set[str] | None:
    """Every string of ``reach`` characters (or fewer, if the match may end sooner) that a match
    of ``pattern`` can open with; None if they cannot be listed. Look-arounds and anchors count
    as nothing (more places are tried, never fewer)."""
    try:
        from re import _constants as C, _parser
    except ImportError:  # another Python's internals
        return None
    if pattern.flags & re.IGNORECASE:
        return None

    def seq(items, r):
        cur = {""}
        for op, av in items:
            cur = {p if len(p) >= r else p + q for p in cur for q in ([""] if len(p) >= r else item(op, av, r - len(p)))}
            if len(cur) > cap:
                raise _Unlisted
        return cur

    def item(op, av, r):
        try:
            return listed(op, av, r)
        except _Unlisted:
            return {_CUT * r}

    def listed(op, av, r):
        if op is C.LITERAL:
            return {chr(av)}
        if op is C.IN:
            chars = set()
            for o, a in av:
                if o is C.LITERAL:
                    chars.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] < 32:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:
                    raise _Unlisted
            return chars
        if op is C.BRANCH:
            return set().union(*(seq(alt, r) for alt in av[1]))
        if op is C.SUBPATTERN:
            if av[1] & C.SRE_FLAG_IGNORECASE:
                raise _Unlisted
            return seq(av[3], r)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            once = seq(sub, r)
            out = {""} if lo == 0 else set()
            cur, n = {""}, 0
            while n < hi:
                n += 1
                grown = {(p + q)[:r] if len(p) < r else p for p in cur for q in once}
                if len(grown) > cap:
                    raise _Unlisted
                if n >= lo or grown == cur:  # no longer growing: what more repeats give
                    out |= grown
                if grown == cur:
                    break
                cur = grown
            return out
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return {""}
        raise _Unlisted  # any character, a category, a back reference …

    try:
        found = seq(_parser.parse(pattern.pattern, pattern.flags), reach)
    except (_Unlisted, AttributeError, TypeError):
        return None
    return None if any(not o.rstrip(_CUT) for o in found) else found


@dataclass
class SymbolMatch:
    """A symbol found in normalised text (offsets are normalised)."""

    start: int
    end: int
    system: str
    number: str
    type_code: str | None
    issuer_code: str | None
    year: int | None
    sep: str = "-"   # between a State type code and its issuer: "-", or "/" in joint ones (NQLT/CP-…)
    weak: bool = False  # an old or odd shape ("23/SL", "03/NĐ-76"): a citation only after a type word
    tail: str = ""      # what follows the code in old shapes: "/1976", "-76", "/NĐ"


#: Runs of "/" each within 16 characters of the one before: a symbol's first digit stands at most 16
#: characters before one of them (`SYMBOL_SLASH_AHEAD`). A pattern opening with a literal is searched for
#: at C speed; no two of its repeats can take the same characters.
_SLASHES = re.compile(r"/(?:[^/]{0,15}/)*")
SYMBOL_WIDTH = 81  # the longest match of SYMBOL (tests/test_fast_paths.py checks it)
#: A "/" that can be a symbol's first: before its issuer (" {0,2}[A-ZĐƯ]") or a State symbol's year ("/2024/").
#: A run without one (dates, "và/hoặc") opens no match.
_FIRST_SLASH = re.compile(r"/(?= {0,2}[A-ZĐƯ]|(?:19|20)[0-9][0-9]/)")
_FIRST_SLASH_AHEAD = 5  # what its look-ahead reads past the "/"


def symbol_scan(text: str, start: int = 0, end: int | None = None):
    """``SYMBOL.finditer(text, start, end)``, run only where a match may start: the 16 characters
    before each run of "/" that holds a symbol's possible first "/" (most of a report has no "/";
    the plain scan steps from digit to digit, 1 in 30 characters of a page). Each run's scan sees
    the text up to SYMBOL_WIDTH + 1 characters past the run's last "/", all that a match starting
    before it reads; a match starting later is a later run's."""
    end = len(text) if end is None else end
    done = start  # where the last match ended: the plain scan goes on from there
    for run in _SLASHES.finditer(text, start + 1, end):
        if _FIRST_SLASH.search(text, run.start(), min(end, run.end() + _FIRST_SLASH_AHEAD)) is None:
            continue  # no symbol's first "/" here: a match before it would have one in a later run
        last = run.end() - 1
        for m in SYMBOL.finditer(text, max(done, run.start() - 16), min(end, last + SYMBOL_WIDTH + 1)):
            if m.start() >= last:
                break
            yield m
            done = m.end()
            if done >= last:
                break  # (the next match would start at or after the run's last "/": no scan for it)


#: State issuers that head a symbol followed by their own unit ("4912/UBND-NC").
STATE_ISSUERS_WITH_UNIT = frozenset({"UBND", "HĐND", "VPCP", "BTC"})


def _canonical_code(code: str) -> str:
    table = tables.issuer_codes()
    entry = table.get(code)
    return entry.alias_of if entry and entry.alias_of else code


def symbols(text: str, start: int = 0, end: int | None = None):
    """Yield every Party or State symbol in ``text[start:end]``. A weak shape (an old State symbol
    with no issuer part, "Sắc lệnh số 23/SL"; a year after the code, "03/NĐ-76") is a symbol only
    right after a type word: alone, "100/TTg" may be anything."""
    for m in symbol_scan(text, start, len(text) if end is None else end):
        if m.group("ptype"):
            s = _party_symbol(m)
        else:
            s = _state_symbol(m)
        if s is not None and (not s.weak or type_word_before().search(text, max(0, s.start - 40), s.start)):
            yield s


def _party_symbol(m: re.Match) -> SymbolMatch:
    """"01-KL/TW"; "919-CV/VPTW/nb" (a suffix for internal circulation, not part of the identity);
    "9-BNV/NC/NĐ" (three parts: an old State shape, weak)."""
    tail = m.group("ptail")
    issuer = _canonical_code(m.group("piss")) + (f"/{tail}" if tail else "")
    return SymbolMatch(m.start(), m.end(), "party", m.string[m.start():m.end("pnum")], m.group("ptype"), issuer, None,
                       weak=bool(tail))


def _state_symbol(m: re.Match) -> SymbolMatch | None:
    """"15/2020/NĐ-CP", "4912/UBND-NC", "19/2008/NQLT/CP-UBTUMTTQVN"; a hyphen lost in a PDF
    ("61/2018/NĐCP") is put back when the code splits into a known type and issuer; a Party
    symbol written state-style ("12/CT-TU") is a Party symbol. Old shapes are weak: "23/SL" (no
    issuer part), "03/NĐ-76" (the year after the code), "3/NQ/1976", "553BNV/HCĐP/NĐ"."""
    # (emphasis a page opened inside the symbol: "349/TTr-**CP và …**")
    code, year = m.group("scode").replace(" ", "").replace("*", ""), m.group("syear")
    number = m.string[m.start():m.end("snum")]  # the scan takes its first digit apart (see SYMBOL)
    end = m.end()
    if year and not m.group("syy") and not m.group("stail"):
        # a lost space glues the next word to the issuer code: "123/2024/NĐ-CPquy định", "175/2024/NĐ-CPngày 30 …"
        glued_word = GLUED_WORD_AFTER_CODE.search(code)
        if glued_word:
            code, end = code[:glued_word.start("word")], end - len(glued_word.group("word"))
        elif "-" not in code:
            cut = CODE_BEFORE_GLUED_WORD.match(m.string, end)
            if cut:
                code, end = code + cut.group("code"), cut.end("code")
    yy, tail = m.group("syy"), m.group("stail")
    weak = bool(yy or tail) or not number[-1].isdigit() and not number[-1].islower()
    glued = number.lstrip("0123456789")
    if glued and not year and not tail and not yy and "-" not in code and is_party_code(glued, code):
        # "Chỉ thị số 92CT/TW": a Party symbol whose hyphen was lost
        return SymbolMatch(m.start(), end, "party", number[:-len(glued)], glued, _canonical_code(code), None, weak=True)
    if yy:
        code = code[:-3]
    type_code, sep, issuer = code.partition("/") if "/" in code.split("-")[0] else code.partition("-")
    if not issuer:
        split = split_glued_code(code)
        if split:
            (type_code, issuer), sep = split, "-"
        elif not year:
            if len(code) < 2:
                return None  # "18/C": one letter is no code
            weak = True  # "123/BC", "23/SL": a citation only after a type word
    issuer = _state_issuer_case(issuer)
    extra = f"-{yy}" if yy else (f"/{tail}" if tail else "")
    if not year and issuer and sep != "/" and not weak and is_party_code(type_code, issuer) and number.isdigit():
        return SymbolMatch(m.start(), end, "party", number, type_code, _canonical_code(issuer), None)
    if not issuer or type_code in STATE_ISSUERS_WITH_UNIT:
        # "59/2020/QH14" names no type; "4912/UBND-NC" is body-unit, not type-body; a bare old
        # code is a type ("23/SL") or an issuer ("100/TTg", "146/CP")
        bare_type = not issuer and not year and code in _codes("state")[0]
        type_code, issuer = (code, None) if bare_type else (None, code)
    return SymbolMatch(m.start(), end, "state", number, type_code, issuer or None, int(year) if year else None,
                       sep if type_code and issuer else "-", weak=weak, tail=extra)


#: The end of an issuer code glued to a lower-case word: "CPquy" ("-CP", then "quy định").
GLUED_WORD_AFTER_CODE = re.compile(r"-[A-ZĐƯ][A-ZĐƯ0-9&]{1,10}(?P<word>[a-zđư]{2,})$")
#: "-CP" glued to a word with a tone mark ("175/2024/NĐ-CPngày"), which the symbol's letters do not take.
CODE_BEFORE_GLUED_WORD = re.compile(r"(?P<code>-[A-ZĐƯ]{2,8})(?=[a-zđà-ỹ]{2})")


def _state_issuer_case(issuer: str) -> str:
    """"QĐ-TTG" is "QĐ-TTg": an issuer code written in capitals takes the table's spelling."""
    if not issuer or issuer in tables.issuer_codes():
        return issuer
    return _upper_codes().get(issuer.upper(), issuer)


@lru_cache(maxsize=1)
def _upper_codes() -> dict[str, str]:
    return {c.upper(): c for c, e in tables.issuer_codes().items() if e.system == "state"}


@lru_cache(maxsize=None)
def _codes(system: str) -> tuple[frozenset, frozenset]:
    types = frozenset(c for t in tables.doc_types().values() if t.system == system for c in t.codes)
    issuers = frozenset(c.code for c in tables.issuer_codes().values() if c.system == system)
    return types, issuers


def is_party_code(type_code: str, issuer: str) -> bool:
    """"CT" and "TU" in "12/CT-TU": a Party type and a Party issuer (every part of a joint one)."""
    types, issuers = _codes("party")
    return type_code in types and all(part in issuers for part in issuer.split("-"))


def split_glued_code(code: str) -> tuple[str, str] | None:
    """"NĐCP" → ("NĐ", "CP"), "QĐUBND" → ("QĐ", "UBND"): a State type code and issuer glued
    together (the hyphen lost in a text layer), only when both halves are known codes."""
    types, issuers = _codes("state")
    for i in range(len(code) - 1, 0, -1):
        if code[:i] in types and code[i:] in issuers:
            return code[:i], code[i:]
    return None


def symbol_text(s: SymbolMatch) -> str:
    if s.system == "party":
        return f"{s.number}-{s.type_code}/{s.issuer_code}"
    parts = [s.number] + ([str(s.year)] if s.year else [])
    if s.type_code and s.issuer_code:
        code = f"{s.type_code}{s.sep}{s.issuer_code}"
    else:
        code = s.type_code or s.issuer_code
    return "/".join(parts + [code]) + s.tail


#: Between two bodies that share one citation: "Bộ Chính trị, Ban Chấp hành Trung ương Đảng".
BODY_LIST_SEP = re.compile(r" {0,2}(?:,|và|, và) {1,2}")
BODY_LIST_SEP_BEFORE = re.compile(r" {0,2}(?:,|và|, và) {1,2}$")
#: What may stand between two members of one list of citations.
LIST_SEP = re.compile(r"\s{0,3}(?:[,;]|và|,\s{0,2}và|;\s{0,2}và)\s{1,3}$|\s{0,3}[,;]\s{0,3}$")
