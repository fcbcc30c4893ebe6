"""Stage 4: read a citation's attributes from the words around its symbol.

Pure functions over normalised text: the type word before the symbol decides the type
("Quy định số 37-QĐ/TW" is a Quy định); a date, the issuing body (của / do …), the term
(khóa) and the title (về …) follow it; "<body> ban hành <citation>" names the body before.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from . import find, tables
from .tables import DocType

FOUNDED = dt.date(1930, 2, 3)  # the Party's founding: no Party document is older


@dataclass
class BodyMatch:
    """A body found in the text (normalised offsets of the segment)."""

    start: int
    end: int
    body_id: str | None
    name: str | None = None  # the body's own name where the text names it otherwise ("Chủ tịch Hồ Chí Minh ký Sắc lệnh")


_LOWERED: list = [None, "", None]  # the text last asked about, its lower(), its `lowered` copy


def lower_of(text: str) -> str:
    """``text.lower()``, made once for the text last asked about: every citation of a segment,
    and the segment's body search, read the same one."""
    if _LOWERED[0] is not text:
        low = text.lower()
        _LOWERED[:] = [text, low, low if len(low) == len(text) and not find.case_odd(text) else None]
    return _LOWERED[1]


def prime_lower(text: str, low: str, case_odd: bool = True) -> None:
    """Hand `lower_of` ``text.lower()`` made already (a slice of the whole text's). ``case_odd``:
    False when the text is known to hold no `find.case_odd` character (a part of a text that
    holds none: `NormalisedText.case_odd`), which spares the scan."""
    _LOWERED[:] = [text, low, low if len(low) == len(text) and not (case_odd and find.case_odd(text)) else None]


def lowered(text: str) -> str | None:
    """``text.lower()`` where a plain pattern of lower-case words finds in it what the same
    pattern with (?i) finds in ``text`` (lower-casing keeps every character one character, and
    no character is one (?i) matches without lower-casing to it: `find.case_odd`), else None."""
    lower_of(text)
    return _LOWERED[2]


def folded_spaces(text: str) -> str:
    """``" ".join(text.split())``; the text without its trailing whitespace when that is already
    so (most sentences and titles: words one space apart, whitespace after them), which spares
    splitting it (str.split is slow on non-ASCII text). Every whitespace character but the plain
    space is unprintable (a control character or a separator): a printable text holds no other."""
    kept = text.rstrip()
    if kept.isprintable() and "  " not in kept and not kept.startswith(" "):
        return kept
    return " ".join(text.split())


def type_before(text: str, start: int, system: str = "party") -> tuple[int, DocType | None]:
    """The type word ending where the symbol starts, and where it begins. The same word names a
    Party or a State type ("Quyết định số 23-QĐ/TW", "Quyết định số 12/2021/QĐ-UBND")."""
    window_start = max(0, start - 40)
    low = lowered(text)
    if low is not None:
        m = find.type_word_before_lower().search(low, window_start, start)
    else:
        m = find.type_word_before().search(text, window_start, start)
    if not m:
        return start, None
    return m.start(), _type_of_word(m.group("word"), system)


_TYPES_OF_WORDS: dict = {}  # (a type word as written, system) → its type: a report writes the same few


def _type_of_word(word: str, system: str) -> DocType | None:
    """The type a type word as written names ("Quyết  định", "NGHỊ QUYẾT": spacing and case aside)."""
    key = (word, system)
    if key not in _TYPES_OF_WORDS:
        if len(_TYPES_OF_WORDS) > 4096:
            _TYPES_OF_WORDS.clear()
        _TYPES_OF_WORDS[key] = tables.type_by_word(system).get(" ".join(word.lower().split()))
    return _TYPES_OF_WORDS[key]


_CLOCK: list = [None, None]  # (minute, date): the clock read once a minute, not once a date


def _today() -> dt.date:
    """Today's date (a local day starts on a whole minute)."""
    minute = int(time.time() // 60)
    if _CLOCK[0] != minute:
        _CLOCK[:] = [minute, dt.date.today()]
    return _CLOCK[1]


def iso_date(day: str, month: str, year: str, today: dt.date | None = None) -> str | None:
    """ISO date if it is a real calendar date between the Party's founding and next year."""
    return _iso_date(day, month, year, today or _today())


@lru_cache(maxsize=4096)  # a report states the same few dates over and over
def _iso_date(day: str, month: str, year: str, today: dt.date) -> str | None:
    try:
        d = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    latest = today.replace(month=12, day=31) + dt.timedelta(days=366)
    return d.isoformat() if FOUNDED <= d <= latest else None


def date_after(text: str, pos: int) -> tuple[str | None, int]:
    date, end, _ = stated_date_after(text, pos)
    return date, end


def stated_date_after(text: str, pos: int) -> tuple[str | None, int, str | None]:
    """The date after a citation, where it ends, and the words of a date that was stated but
    rejected (not a calendar date, before the Party existed, or past next year)."""
    m = find.DATE_AFTER.match(text, pos)
    if not m:
        return None, pos, None
    if text.find("\n", pos, m.end()) >= 0 and find.EVENT_PLACE.match(text, m.end()):
        return None, pos, None  # "NGHỊ QUYẾT SỐ 66-NQ/TW⏎Ngày 28 tháng 11 năm 2025, tại Trụ sở …": a meeting's day
    for d, mo, y in _DATE_GROUPS:
        day = m.group(d)
        if day:
            date = iso_date(day, m.group(mo), m.group(y))
            if date:
                return date, m.end(), None
            return None, pos, f"{day}/{m.group(mo)}/{m.group(y)}"
    return None, pos, None


_DATE_GROUPS = (("d", "m", "y"), ("d2", "m2", "y2"), ("d3", "m3", "y3"))  # the day, month and year of each form


def clause_start(text: str, pos: int, reach: int, breaks: str = ".;:\n()") -> int:
    """Where the clause that ``pos`` ends starts: after the last of ``breaks`` before it, never more than ``reach``
    characters back (a look-back bounded so: linear on any text)."""
    lo = max(0, pos - reach)
    return max(lo, max(text.rfind(ch, lo, pos) for ch in breaks) + 1)


def extend_body(text: str, body: BodyMatch, by_start: dict[int, BodyMatch]) -> BodyMatch:
    """Grow a body over the words that belong to its name: "Đảng ủy Khối các cơ quan thành phố",
    "Chi bộ cơ quan Ban Dân vận Thành ủy", "Thành ủy Hà Nội"."""
    end = body.end
    for _ in range(3):
        q = find.BODY_QUALIFIER.match(text, end)
        if not q:
            break
        end = q.end()
        nested = by_start.get(end + 1) or by_start.get(end + 2)
        if nested and text[q.start():q.end()].strip().endswith("cơ quan"):
            end = nested.end
    placed = False
    if end > body.end and text[body.end:end].strip().lower() in ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn"):
        p = place_at(text, end)  # "Sở Giáo dục và Đào tạo tỉnh An Giang": the level and its place
        if p and not any(k in by_start for k in range(end + 1, p.end())):
            end, placed = p.end(), True
    if body.body_id in NUMBERED_BODIES:  # "Thuế cơ sở 11 thành phố Hà Nội"
        n = find.BODY_NUMBER.match(text, end)
        end = n.end() if n else end
    entry = tables.bodies()[body.body_id]
    cell_of = by_start.get(end + 1) if body.body_id in PARTY_CELLS and text[end:end + 1] in " \n" else None
    if cell_of is not None and tables.bodies()[cell_of.body_id].level == "state":
        # "Đảng ủy UBND tỉnh", "Chi bộ Sở Nội vụ": the Party organisation of that State body
        return BodyMatch(body.start, extend_body(text, cell_of, by_start).end, body.body_id)
    parent = by_start.get(end + 1)
    if parent is not None and entry.broader == parent.body_id and text[end:end + 1] == " " \
            and parent.body_id in PLACED_STATE_BODIES:
        # "Ban Văn hóa - Xã hội Hội đồng nhân dân Thành phố": a council's committee named with its council
        parent = extend_body(text, parent, by_start)
        return BodyMatch(body.start, parent.end, body.body_id)
    level = entry.level
    if body.body_id in PLACED_STATE_BODIES:
        city = find.CITY_ABBREVIATION.match(text, end)  # "của UBND TP", "UBND TP. Hồ Chí Minh"
        if city:
            return BodyMatch(body.start, city.end(), body.body_id)
    if not placed and ((level in {"province", "district", "grassroots"} and end == body.end) or body.body_id in PLACED_STATE_BODIES):
        # "Thành ủy Hà Nội"; "Ủy ban nhân dân tỉnh Tuyên Quang", "HĐND Thành phố Hà Nội" (level and place)
        p = place_at(text, end)
        if p:
            # a place never runs into the next body ("Đảng ủy Sở Tư pháp …" is two bodies)
            end = next((k for k in range(end + 1, p.end()) if k in by_start), p.end())
            end = end - 1 if end < p.end() else end
    return BodyMatch(body.start, end, body.body_id)


def place_at(text: str, pos: int):
    """The place named at ``pos`` (a space first): a province the table knows, whole ("Bà Rịa - Vũng Tàu") and no
    further ("Bình Phước Không thu …"), else capitalised words (a district: "huyện Quỳnh Phụ")."""
    return find.province().match(text, pos) or find.PLACE_NAME.match(text, pos)


#: Bodies numbered within their parent: the number belongs to the name.
NUMBERED_BODIES = frozenset({"thue-co-so"})
#: State bodies of every province or district: their level and place belong to the name.
PLACED_STATE_BODIES = frozenset({"ubnd", "hdnd", "chu-tich-ubnd", "ub-mttq", "bhxh"})
#: Issuer codes of local State bodies whose symbol may be followed by their place ("23/NQ-HĐND tỉnh Khánh Hòa").
CODE_BODIES = {"UBND": "ubnd", "HĐND": "hdnd"}


_EXTENDED: list = [None, None, {}]  # the text and by_start last analysed, and their bodies extended (by start)


def remember_extended(text: str, by_start: dict[int, BodyMatch], extended: dict[int, BodyMatch]) -> None:
    """The bodies of ``by_start`` in ``text`` extended (`extend_body`, which is pure), as the
    component computes them once a segment: `body_at` hands them out instead of extending again
    for every citation."""
    _EXTENDED[:] = [text, by_start, extended]


def body_at(text: str, pos: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    b = by_start.get(pos)
    if b is None:
        return None
    if _EXTENDED[1] is by_start and _EXTENDED[0] is text:
        return _EXTENDED[2][pos]
    return extend_body(text, b, by_start)


def issuer_after(text: str, pos: int, by_start) -> tuple[BodyMatch | None, int, bool]:
    """"… của Bộ Chính trị": the body, where it ends, and whether a second body makes it ambiguous
    ("của Bộ Chính trị, Ban Chấp hành Trung ương Đảng")."""
    m = find.OF_BODY.match(text, pos)
    if not m:
        # "ngày 09/11/2022 Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng": the plenum, "của" left out
        p = find.PLENUM_DIRECT.match(text, pos)
        body = body_at(text, p.end(), by_start) if p else None
        if not body:
            return None, pos, False
    else:
        body = body_at(text, m.end(), by_start)
        if not body:  # "của Hội nghị lần thứ sáu Ban Chấp hành Trung ương …"
            p = find.PLENUM.match(text, m.end())
            body = body_at(text, p.end(), by_start) if p else None
        if not body:  # "của Bộ trưởng Bộ Y tế": the ministry
            o = find.OFFICIAL.match(text, m.end())
            body = body_at(text, o.end(), by_start) if o else None
        if not body:  # "của Ban Chỉ đạo phát triển khoa học, công nghệ, … về …": a steering committee, named in full
            body = steering_committee_at(text, m.end())
        if not body:  # "của Hội đồng Thi đua - Khen thưởng Trung ương": a body the tables lack; after "do", only
            # one that issued it ("do Ban Vận động Cứu trợ phối hợp …" says who does something)
            body = unlisted_body_at(text, m.end())
            if body is not None and m.group().strip(" ,").lower().startswith("do") \
                    and not find.ISSUING_VERB.match(text, body.end):
                body = None
    if not body:
        return None, pos, False
    if m is not None and m.group().strip(" ,").lower().startswith("do") and find.NOT_ISSUING_AFTER_DO.match(text, body.end):
        return None, pos, False  # "Nghị quyết số 19-NQ/TW do Đảng ủy Chính phủ báo cáo": who reported on it
    end = body.end
    if find.at_type_word().match(text, end):
        return None, pos, False  # "…, của Ban Bí thư tại văn bản số …": the next citation's issuer
    sep = find.BODY_LIST_SEP.match(text, end)
    if sep and sep.end() in by_start:
        other = body_at(text, sep.end(), by_start)
        if not (find.ISSUING_VERB.match(text, other.end) or find.CLAUSE_VERB.match(text, other.end)):
            return None, other.end, True
        # "… của Ban Chỉ đạo Trung ương, Ủy ban nhân dân tỉnh ban hành Kế hoạch …": the second body
        # opens the main clause, it issues the text's own document
    return body, end, False


def issuer_closing(text: str, pos: int, by_start) -> tuple[BodyMatch | None, int]:
    """"… do <body> ban hành" later in the clause after a citation (its trích yếu between, unquoted, with no other
    symbol): that body issued it. Returns the body and where its verb stands ("… được Quốc hội khóa XV, Kỳ họp thứ 9
    thông qua ngày …": after the body's term and session)."""
    m = find.DO_ISSUED_LATER.match(text, pos)
    if m is None or find.SYMBOL_LIKE.search(text, pos, m.end()):
        return None, pos
    body = body_at(text, m.end(), by_start) or unlisted_body_at(text, m.end())
    if body is None:
        return None, pos
    for k in range(body.end, min(len(text), body.end + 60)):
        if find.ISSUING_VERB.match(text, k) and (k == body.end or find.BODY_TO_VERB.fullmatch(text, body.end, k)):
            return body, k
    return None, pos


def term_after(text: str, pos: int) -> tuple[str | None, int]:
    m = find.TERM.match(text, pos)
    return (m.group("term"), m.end()) if m else (None, pos)


def title_after(text: str, pos: int) -> tuple[str | None, int, bool]:
    """The title (trích yếu) after "về": quoted text, or words up to a clause break or to where
    the sentence goes on about something else (`find.TITLE_STOP`).
    Returns the title, where it ends, and whether it was quoted."""
    m = find.TITLE.match(text, pos)
    q = find.QUOTED.match(text, m.end() if m else pos)
    if q and (m or text[pos:q.start()].strip() == ""):
        return q.group("q").strip(), q.end(), True
    if not m:
        return None, pos, False
    end = unquoted_title_end(text, m.end())
    if end is None:
        return None, pos, False
    first_word = text.find(" ", m.end(), end)
    stop = find.TITLE_STOP.search(text, first_word, end) if first_word > 0 and may_stop(text[first_word:end]) else None
    if stop:
        end = stop.start()
    title = folded_spaces(text[m.end():end]).rstrip(" .,")
    while end > m.end() and text[end - 1] in " ,.":
        end -= 1
    return (title or None), end, False


#: Words one of which every `find.TITLE_STOP` match holds ("hiệu lực" for "có/hết hiệu lực", "được"
#: for "được sửa đổi" …), but the list of another body's word ("và ý kiến của …": `_STOP_AFTER_AND`).
_STOP_WORDS = ("được", "thay thế", "bãi bỏ", "sửa đổi", "hiệu lực", "hướng dẫn th", "đã", "diễn ra", "do")
_STOP_AFTER_AND = ("hướng dẫn", "ý kiến", "chỉ đạo", "kết luận", "đề nghị", "yêu cầu", "kế hoạch", "văn bản", "công văn")


def may_stop(words: str) -> bool:
    """Whether `find.TITLE_STOP` may find something in ``words``: they hold what each of its
    matches holds (a title holds none of them most often; the search tries every space)."""
    return any(w in words for w in _STOP_WORDS) or (
        "và" in words and "của" in words and any(w in words for w in _STOP_AFTER_AND))


def unquoted_title_end(text: str, pos: int) -> int | None:
    """Where ``find.UNQUOTED_TITLE.match(text, pos)`` ends (None: no match), read as runs of the
    title's characters joined by the full stops it goes on after ("1.2", "v.v."): the same end."""
    limit = min(len(text), pos + find.UNQUOTED_TITLE_REACH)
    end = pos
    while True:
        end = find.TITLE_RUN.match(text, end, limit).end()
        if end < limit and find.TITLE_DOT_GOES_ON.match(text, end):
            end += 1
            continue
        return end if end > pos else None


def year_of_work_after(text: str, pos: int) -> int:
    """"Quy định 69-QĐ/TW năm 2022": where the year of the work ends (it is never the date)."""
    m = find.YEAR_OF_WORK.match(text, pos)
    return m.end() if m else pos


def date_before_issuer(text: str, body_start: int) -> str | None:
    """"Ngày 12/12/2013, Bộ Chính trị ban hành Quyết định số …": the sentence opens with the date
    of issue. Only there: "Hội nghị tổ chức vào ngày 30/3/2023, … ban hành" dates a meeting."""
    m = find.DATE_OPENS.search(text, max(0, body_start - 48), body_start)
    if not m:  # "Ngày 11/10/2025, Bộ trưởng Bộ Nội vụ ban hành": the official's title before the body
        title = find.OFFICIAL_TITLE_BEFORE.search(text, max(0, body_start - 24), body_start)
        m = find.DATE_OPENS.search(text, max(0, title.start() - 48), title.start()) if title else None
    if not m:
        return None
    return iso_date(m.group("d"), m.group("m"), m.group("y")) if m.group("d") else iso_date(m.group("d2"), m.group("m2"), m.group("y2"))


def issuer_before(text: str, start: int, by_end: dict[int, BodyMatch], attached: bool = True) -> BodyMatch | None:
    """The body that the words before a citation say issued it: "Ban Thường vụ Thành ủy ban hành
    Chỉ thị số …", "BTV Tỉnh ủy có Kế hoạch số …", "Bộ Chính trị đã ký …", "đề nghị của Sở Nội vụ
    tại Tờ trình số …"."""
    window = max(0, start - 60)
    # (each look-back below only where the words its pattern needs stand: most citations have none of them)
    m = find.ISSUED_BY_BEFORE.search(text, window, start) \
        if _holds(text, max(window, start - find.ISSUED_VERB_REACH), start, find.ISSUED_VERBS) else None
    if m is None and _holds(text, max(0, start - 140), start, ("Luật", "Bộ luật", "Pháp lệnh")):
        # "Quốc hội đã thông qua Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
        law = find.LAW_TITLE_BEFORE.search(text, max(0, start - 140), start)
        if law is not None:
            m = find.ISSUED_BY_BEFORE.search(text, max(0, law.start() - 60), law.start())
    if m is not None:
        committee = _steering_committee(text, m.start())
        if committee is not None:
            return committee
        body = by_end.get(m.start())
        if body is None:  # "HĐND tỉnh Bạc Liêu ban hành", "Ban Bí thư (khóa XI) đã ban hành"
            body = _body_across(text, m.start(), by_end)
        if body is None:  # "Hội đồng Thi đua - Khen thưởng Trung ương đã ban hành": a body the tables lack
            unlisted = unlisted_body_ending(text, m.start())
            if unlisted is not None:
                return None if _in_a_documents_name(text, unlisted.start) else unlisted
            # "Thay mặt Ban Chấp hành Trung ương Đảng, Tổng Bí thư Tô Lâm đã ký ban hành": the signer is no body
            behalf = find.ON_BEHALF.search(text, max(0, m.start() - 160), m.start())
            if behalf is not None and behalf.end("body") in by_end \
                    and not _breaks_in(text[behalf.end():m.start()]):
                return by_end[behalf.end("body")]
        if body is not None and _in_a_documents_name(text, body.start):
            return None  # "Điều lệ Liên đoàn Luật sư Việt Nam ban hành kèm theo Quyết định …": the charter's, not the issuer
        owner = _unlisted_owner(text, body) if body is not None else None
        if owner is not None:  # "Ban Tổ chức – Cán bộ của Chính phủ ban hành": the board, not the government
            return owner
        if body is not None:
            behalf = _on_behalf_of(text, body.start, by_end)
            if behalf is not None:  # "Thay mặt Ủy ban Thường vụ Quốc hội, Chủ tịch Quốc hội … ký ban hành"
                return behalf
            if _one_of_two(text, body, by_end):
                return None  # "Ban Tổ chức Tỉnh ủy và Ban Dân vận Tỉnh ủy ban hành …": two bodies, no one issuer
            return _narrower_before(text, body, by_end)
    # (both look-backs below end with "tại", "theo" or "bằng" and whitespace: most citations follow none)
    located = ends_with_word(text, start, _LOCATING_WORDS)
    m = find.APPROVED_BY_AT.search(text, max(window, start - find.APPROVED_BY_AT_WIDTH), start) if located else None
    if m is not None:  # "… đã được Thủ tướng Chính phủ phê duyệt tại Quyết định …"
        body = by_end.get(m.start()) or _body_across(text, m.start(), by_end)
        if body is not None and find.PASSIVE_BEFORE_BODY.search(text, max(0, body.start - 12), body.start):
            return body
    m = find.PASSIVE_ACT_AT.search(text, max(window, start - find.PASSIVE_ACT_AT_WIDTH), start) if located else None
    if m is not None:  # "… được Chủ tịch nước Việt Nam bổ nhiệm chức danh … theo Quyết định số …"
        passive = _passive_agent(text, m.start(), by_end)
        if passive is not None:
            return passive
    m = find.OF_BODY_AT.search(text, window, start) if text.find("tại", window, start) >= 0 else None
    if m is not None:
        # "đề nghị của Sở Nội vụ tại Tờ trình số …", "đề nghị của Giám đốc Sở Nông nghiệp và Môi trường tại Tờ trình …"
        # (an official's title: the body), never "nhiệm vụ của Bộ … tại Nghị quyết …"
        body = by_end.get(m.start()) or unlisted_body_ending(text, m.start())
        if body is not None:
            title = find.OFFICIAL_TITLE_BEFORE.search(text, max(0, body.start - 24), body.start)
            of_at = title.start() if title else body.start
            if find.OF_BEFORE.search(text, max(0, of_at - 8), of_at) and find.WORD_OF_BODY.search(text, max(0, of_at - 32), of_at):
                return body
    if attached:
        return issuer_attached_to(text, start, by_end)
    return None


_LOCATING_WORDS = ("tại", "theo", "bằng")


def ends_with_word(text: str, pos: int, words: tuple, lower: bool = False) -> bool:
    """Whether the text before ``pos``, trailing whitespace aside, ends with one of ``words``
    (``lower``: lower-cased, for a pattern with (?i)): what a look-back pattern ending with one
    of them and at most four whitespace characters ("\\s{1,3}$", "$" also before a final line
    break) needs, checked before searching for it. Words of at most 11 characters."""
    tail = text[max(0, pos - 16):pos].rstrip()
    return (tail.lower() if lower else tail).endswith(words)


def _breaks_in(words: str, marks: str = ".;:\n") -> bool:
    """Whether one of ``marks`` (clause breaks) stands in ``words``: each mark looked for at C
    speed, not each character of the words compared in a generator."""
    for mark in marks:
        if mark in words:
            return True
    return False


def _holds(text: str, lo: int, hi: int, words) -> bool:
    """Whether one of ``words`` stands inside text[lo:hi] (one search of their alternation, not a
    `str.find` a word)."""
    pattern = _WORDS.get(words)
    if pattern is None:
        pattern = _WORDS[words] = re.compile("|".join(re.escape(w) for w in words))
    return pattern.search(text, lo, hi) is not None


_WORDS: dict = {}  # a tuple of words → their alternation


def issuer_attached_to(text: str, start: int, by_end: dict[int, BodyMatch], system: str = "party") -> BodyMatch | None:
    """"Bộ Nội vụ đã có Quy chế ban hành kèm theo Quyết định 786/QĐ-BNV": the body that issued a regulation
    issued the decision it came with."""
    if not ends_with_word(text, start, ("kèm theo",), lower=True):
        return None  # (what every ATTACHED_TO_BEFORE match ends with, but for whitespace)
    k = find.ATTACHED_TO_BEFORE.search(text, max(0, start - 24), start)
    if k is None:
        return None
    word_start, dtype = type_before(text, k.start(), system)
    if dtype is None:
        return None
    return issuer_before(text, word_start, by_end, attached=False)


def issuer_of_bracketed_act(text: str, word_start: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    """"Ngày 24/02/1990 Hội đồng Bộ trưởng (nay là Chính phủ) cho phép thành lập Hội (Giấy phép số 528/NC)": a
    citation in brackets closing a clause whose subject is a body doing an act: that body's act is the document."""
    if not find.BRACKET_BEFORE.search(text, max(0, word_start - 4), word_start):
        return None
    lo = max(0, word_start - 300)
    clause = max(text.rfind(ch, lo, word_start - 1) for ch in ".;:!?\n")
    if clause < 0 and lo > 0:
        return None
    opener = find.CLAUSE_OPENER.match(text, clause + 1)
    pos = opener.end() if opener else clause + 1
    body = body_at(text, pos, by_start) or unlisted_body_at(text, pos)
    if body is None:
        return None
    after = find.BRACKET_AFTER_BODY.match(text, body.end)
    if not find.ACTS_IN_DOCUMENT.match(text, after.end() if after else body.end):
        return None
    return body


def issuer_of_proposal(text: str, word_start: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    """"Xét đề nghị của Ban Tổ chức Trung ương (Tờ trình số 224-TTr/BTCTW, ngày … và Báo cáo số 60-BC/BTCTW …)": the
    papers a bracket lists after a body's proposal are that body's."""
    paren = text.rfind("(", max(0, word_start - 300), word_start)
    if paren < 0 or _breaks_in(text[paren:word_start], ").;\n"):
        return None
    last = None
    for last in find.PROPOSAL_OF.finditer(text, clause_start(text, paren, 300 - (word_start - paren), ".;:\n"), paren):
        pass
    if last is None:
        return None
    o = find.OFFICIAL.match(text, last.end())  # "đề nghị của Bộ trưởng Bộ Y tế (Tờ trình …)"
    pos = o.end() if o and o.end() in by_start else last.end()
    return body_at(text, pos, by_start) or unlisted_body_at(text, pos)


def issuer_signing(text: str, start: int, dtype: DocType | None) -> BodyMatch | None:
    """"Chủ tịch Hồ Chí Minh ký Sắc lệnh số 34/SL": an official named by title and person signing a type only one body
    issues (kg/data/doc_types.tsv `issued_by`), whose name opens with that title, is that body."""
    if dtype is None or dtype.issued_by is None:
        return None
    m = find.ISSUED_BY_BEFORE.search(text, max(0, start - 60), start)
    signer = find.TITLE_AND_PERSON_BEFORE.search(text, max(0, m.start() - 60), m.start()) if m else None
    if signer is None:
        return None
    body = tables.bodies()[dtype.issued_by]
    if not body.vi.startswith(signer.group("title")):
        return None
    return BodyMatch(signer.start(), signer.end(), body.id, name=body.vi)


def issuer_acting_in(text: str, start: int, end: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    """"Tại Quyết định số 1210/QĐ-TTg, Thủ tướng Chính phủ đã công nhận …", "Theo tiểu mục 5.2 Mục 5 Kết luận 83-KL/TW
    năm 2024, Bộ Chính trị yêu cầu …": the body that acts in the document located before the comma (``start``–
    ``end``) is its issuer. Only a locator (in it, by it): "Thực hiện Quyết định …, UBND tỉnh đã …" names who
    carries it out."""
    gap = find.COMMA_BEFORE_BODY.match(text, end)
    if gap is None and text[end - 4:end].isdigit():  # after the year of the work, the comma may be left out
        gap = find.SPACE_BEFORE_BODY.match(text, end)
    if gap is None:
        return None
    # (the locator's look-back after the comma's match: most citations have no comma after them)
    if not find.LOCATED_IN_BEFORE.search(text, max(0, start - 90), start):
        return None
    body = body_at(text, gap.end(), by_start) or unlisted_body_at(text, gap.end())
    if body is None:
        return None
    name = find.PERSON_NAME.match(text, body.end)  # "Thủ tướng Nguyễn Xuân Phúc quyết định"
    if not find.ACTS_IN_DOCUMENT.match(text, body.end) and not (name and find.ACTS_IN_DOCUMENT.match(text, name.end())):
        return None
    return body


def reference_author(text: str, start: int, by_end: dict[int, BodyMatch]) -> tuple[BodyMatch | None, str | None]:
    """The author and date of a bibliography entry whose quoted title opens with the citation at ``start``."""
    if text[start - 1:start] not in ('"', "“"):
        return None, None  # (a REFERENCE_BEFORE match ends with the quote that opens the title)
    m = find.REFERENCE_BEFORE.search(text, max(0, start - 48), start)
    if m is None:
        return None, None
    body = by_end.get(m.start()) or by_end.get(m.start() - 1)
    if body is None:  # "Bộ Chính trị ĐCSVN (28/4/2009). …": the body, then its party's abbreviation
        ab = find.ABBREVIATION_AFTER_BODY.search(text, max(0, m.start() - 12), m.start())
        body = by_end.get(ab.start()) if ab else None
    if body is None:
        return None, None
    g = m.groupdict()
    date = iso_date(g["d"], g["m"], g["y"]) if g["d"] else iso_date(g["d2"], g["m2"], g["y2"])
    return body, date


#: Lower-case words that may stand inside an unlisted body's name after a place word ("Sở Y tế tỉnh Cao Bằng") or
#: as a two-word unit ("Viện Khoa học xã hội Việt Nam", "Bảo hiểm xã hội").
_PLACE_WORDS = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn"})
_NAME_UNITS = frozenset({"xã hội", "nhân dân", "nhà nước", "quốc gia", "trung ương", "cách mạng", "tối cao"})
#: Words that end a name when nothing anchors its end (the function words and verbs of the clause after it).
_NAME_STOPS = frozenset({
    "của", "về", "do", "tại", "theo", "đã", "đang", "sẽ", "vừa", "mới", "cũng", "ban", "ký", "kí", "ra", "có", "là",
    "và", "với", "cho", "để", "trong", "được", "bị", "này", "đó", "thì", "mà", "khi", "sau", "trước", "từ", "đến",
    "ngày", "số", "năm", "các", "những", "một", "hướng", "quy", "chỉ", "yêu", "giao", "thông", "công", "phê", "trình",
    "gửi", "đề", "tổ", "triển", "thực", "nêu", "nhằm", "như", "nay", "ở", "trên", "dưới", "vào", "lần", "khóa"})


#: Capitalised words that open a clause or a link, never go on a name ("Xem", "Tải về", "Theo", "Căn cứ").
_SENTENCE_WORDS = frozenset({"tải", "xem", "theo", "tại", "căn", "ngày", "điều", "khoản", "trong", "để", "về", "với",
                             "do", "của", "và", "nghị", "quyết", "chỉ", "kế", "thông", "luật", "công", "văn"})


#: Words no name holds, even where the verb anchors its end ("Điều lệ Liên đoàn Luật sư Việt Nam được ban hành …").
_NEVER_IN_NAME = frozenset({"được", "bị", "đã", "đang", "sẽ", "vừa", "là", "của"})


def _name_ends(text: str, pos: int, limit: int, stop: bool, across_lines: bool = False) -> list[int]:
    """Where the proper name that starts after a kind word ending at ``pos`` may end: after a capitalised word, after
    one lower-case word following it ("Giáo dục", "Thi đua"), after a unit ("xã hội") or a place ("tỉnh Cao Bằng"),
    never after a joining word ("và", "-", "&"). With ``stop``, a clause word ends the name (`_NAME_STOPS`); with
    ``across_lines``, a line break inside it is a space (PDF text: "Giám đốc Sở⏎Y tế tại")."""
    word = find.NAME_WORD_ACROSS_LINES if across_lines else find.NAME_WORD
    ends: list[int] = []
    i, lower_run, need_cap = pos, 0, True
    for _ in range(16):
        m = word.match(text, i, limit)
        if m is None:
            break
        w = m.group("w")
        if w[0].isupper():
            if w.lower() in _SENTENCE_WORDS and not need_cap:
                break  # "… Sở GD&ĐT Tiền Giang Tải về …": a word that opens the next clause
            ends.append(m.end())
            lower_run, need_cap = 0, False
        elif w in ("-", "–", "&", "và"):
            if need_cap:
                break
            need_cap = True
        elif need_cap and w not in _PLACE_WORDS:
            break
        else:
            nxt = word.match(text, m.end(), limit)
            pair = f"{w} {nxt.group('w')}" if nxt else ""
            if pair in _NAME_UNITS or pair in _PLACE_WORDS:
                ends.append(nxt.end())
                i, lower_run, need_cap = nxt.end(), 0, pair in _PLACE_WORDS
                continue
            if w in _PLACE_WORDS:
                if i == pos:
                    ends.append(m.end())  # "Công an tỉnh": the body of the province, named by its level
                need_cap = True
            elif stop and lower_run and w not in _NAME_STOPS:
                return []  # "Cục Thi hành án …": a name running on in lower case; where it ends is unsure
            elif lower_run or need_cap or w in _NEVER_IN_NAME or (stop and w in _NAME_STOPS):
                break  # ("… Việt Nam được ban hành": a passive or tense word is never in a name)
            else:
                ends.append(m.end())
                lower_run = 1
        i = m.end()
    return ends


def unlisted_body_ending(text: str, end: int) -> BodyMatch | None:
    """A body that kg/data/bodies.tsv lacks, named by its kind and a proper name that ends at ``end`` (where the
    verb or "tại" follows): "Hội đồng Thi đua - Khen thưởng Trung ương đã ban hành", "Sở GD&ĐT TPHCM ban hành".
    The first kind word in the clause whose name can reach ``end`` ("Chủ tịch Viện Khoa học xã hội Việt Nam ký":
    the institute)."""
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    start = clause_start(text, end, 120, ".;:,()\"“”")
    blank = text.rfind("\n\n", start, end)  # a line break may fall inside a name, a blank line not
    for k in find.body_kind().finditer(text, blank + 2 if blank >= 0 else start, end):
        ends = _name_ends(text, k.end(), end, stop=False, across_lines=True)
        # the name up to the verb, or up to what may stand between a body and its verb ("Tổng trưởng Nội vụ chính
        # quyền Việt Nam Cộng hòa lại ban hành")
        reach = end if end in ends else next((e for e in reversed(ends) if find.BODY_TO_VERB.fullmatch(text, e, end)), None)
        if reach is not None:
            return None if _named_in_full(text, k.start()) else BodyMatch(k.start(), reach, None)
    return None


def _named_in_full(text: str, pos: int) -> bool:
    """"Ban Chỉ đạo …" is named by what follows it, which `_steering_committee` reads (`NAMED_IN_FULL`)."""
    return find.STEERING_NAME.match(text, pos) is not None


def unlisted_body_at(text: str, pos: int) -> BodyMatch | None:
    """A body that kg/data/bodies.tsv lacks, named at ``pos`` ("của Hội đồng Thi đua - Khen thưởng Trung ương"),
    its name ended by the first clause word after it; an official's title before it names the body
    ("của Giám đốc Sở Y tế")."""
    o = find.OFFICIAL.match(text, pos)
    k = find.body_kind().match(text, o.end() if o else pos)
    if k is None or _named_in_full(text, k.start()):
        return None
    ends = _name_ends(text, k.end(), min(len(text), k.end() + 160), stop=True)
    if not ends or find.NAME_GOES_ON.match(text, ends[-1]):
        return None  # "của Ban Thường vụ⏎Thành ủy": a name a line break cuts may go on; where it ends is unsure
    return BodyMatch(k.start(), ends[-1], None)


#: Kinds of body that are no name by themselves ("Ban Chỉ đạo" is the committee of whatever its name goes on to
#: say): never matched alone, only with their whole name (`_steering_committee`).
NAMED_IN_FULL = frozenset({"ban-chi-dao"})
STEERING_REACH = 200  # a steering committee's name ("Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 18-NQ/TW …")


def steering_committee_at(text: str, pos: int) -> BodyMatch | None:
    """"(của) Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số về …": a steering committee
    named at ``pos``, its name running (commas, "và", line breaks) to "về", "ngày", "tại", a clause break or a citation."""
    m = find.STEERING_NAME.match(text, pos)
    if m is None or not find.NAME_GOES_ON_WORD.match(text, m.end()):
        return None  # "của Ban Chỉ đạo, các sở …": "Ban Chỉ đạo" alone names no committee
    stop = find.STEERING_NAME_END.search(text, m.end(), min(len(text), m.end() + STEERING_REACH))
    end = stop.start() if stop else -1
    if end < 0 or find.SYMBOL_LIKE.search(text, m.end(), end):
        return None  # no end in sight, or another citation inside: where the name ends is unsure
    while end > m.end() and text[end - 1] in " \t\n,":
        end -= 1
    if not text[m.end():end].strip():
        return None  # "Ban Chỉ đạo" alone names no committee
    body_id = "bcd-tw" if text[m.start():end].lower().startswith("ban chỉ đạo trung ương") else "ban-chi-dao"
    return BodyMatch(m.start(), end, body_id, name=" ".join(text[m.start():end].split()))


def _steering_committee(text: str, verb: int) -> BodyMatch | None:
    """"Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 18-NQ/TW năm 2017 của Chính phủ ban hành …": a
    steering committee named up to its verb, whatever its name holds (a body, a citation)."""
    lo = max(0, verb - STEERING_REACH)
    last = None
    for m in find.STEERING_NAME.finditer(text, lo, verb):
        last = m
    if last is None or _breaks_in(text[last.start():verb]):
        return None
    body_id = "bcd-tw" if text[last.start():verb].lower().startswith("ban chỉ đạo trung ương") else "ban-chi-dao"
    end = verb
    while end > last.end() and text[end - 1].isspace():
        end -= 1
    return BodyMatch(last.start(), end, body_id)


def _passive_agent(text: str, at: int, by_end: dict[int, BodyMatch]) -> BodyMatch | None:
    """The body after the last "được" in the clause before ``at`` whose act (bổ nhiệm, phê duyệt, cho chủ trương …)
    runs up to ``at``: "được Chủ tịch nước Việt Nam bổ nhiệm … theo", "được Ban Chấp hành Trung ương cho chủ trương tại"."""
    last = None
    for last in find.PASSIVE_MARK.finditer(text, clause_start(text, at, 180), at):
        pass
    if last is None:
        return None
    for end in range(min(at, last.end() + 120), last.end(), -1):  # the longest name first
        body = by_end.get(end)
        if body is not None and body.start >= last.end() and _reaches_act(text, last.end(), body, at):
            return body
    return None


def _reaches_act(text: str, after_mark: int, body: BodyMatch, at: int) -> bool:
    """The body stands right after "được" (its place or country may follow it) and its act runs to ``at``."""
    if text[after_mark:body.start].strip():
        return False
    for k in range(body.end, min(at, body.end + 40) + 1):
        if (k == body.end or find.BODY_TO_VERB.fullmatch(text, body.end, k)) and find.PASSIVE_ACT.fullmatch(text, k, at):
            return True
    return False


def _in_a_documents_name(text: str, body_start: int) -> bool:
    """A body right after a type word is part of a document's name ("Điều lệ Liên đoàn Luật sư Việt Nam", "Quy chế
    Hội đồng …"), not the subject of the verb after it."""
    m = find.type_word_before().search(text, max(0, body_start - 30), body_start)
    return m is not None and text[m.end("word"):body_start].strip() == ""


def _unlisted_owner(text: str, body: BodyMatch) -> BodyMatch | None:
    """"Ban Tổ chức – Cán bộ của Chính phủ ban hành": a body the tables lack, named as the body of a listed one."""
    of = find.OF_BEFORE.search(text, max(0, body.start - 8), body.start)
    if of is None:
        return None
    owner = unlisted_body_ending(text, of.start())
    return BodyMatch(owner.start, body.end, None) if owner is not None else None


def _body_across(text: str, verb: int, by_end: dict[int, BodyMatch]) -> BodyMatch | None:
    """The nearest body before ``verb`` separated from it only by its place, term or an abbreviation
    (`find.BODY_TO_VERB`)."""
    for k in range(verb - 1, max(0, verb - 80), -1):
        body = by_end.get(k)
        if body is not None:
            if text[body.start - 1:body.start] == "(" and text[k:k + 1] == ")":
                continue  # "Ngân hàng Nhà nước Việt Nam (NHNN) đã ban hành": the abbreviation of the body before
            return body if find.BODY_TO_VERB.fullmatch(text, k, verb) else None
    return None


def _one_of_two(text: str, body: BodyMatch, by_end: dict[int, BodyMatch]) -> bool:
    """A body that is the last of two or more named together ("X và Y", "X, Y"); "Bộ Chính trị, Ban
    Chấp hành Trung ương Đảng" names one body and the body it belongs to."""
    sep = find.BODY_LIST_SEP_BEFORE.search(text, max(0, body.start - 6), body.start)
    if sep is None or sep.start() not in by_end:
        return False
    return tables.bodies()[by_end[sep.start()].body_id].broader != body.body_id


def _on_behalf_of(text: str, pos: int, by_end: dict[int, BodyMatch]) -> BodyMatch | None:
    """"Thay mặt <body>, <signer> …" opening the clause before ``pos``: the body the signer acts for."""
    m = find.ON_BEHALF.search(text, max(0, pos - 160), pos)
    if m is None or _breaks_in(text[m.end():pos]):
        return None  # in another sentence, "Thay mặt …" is another signature's
    return by_end.get(m.end("body")) if m.end("body") in by_end else None


def _narrower_before(text: str, body: BodyMatch, by_end: dict[int, BodyMatch]) -> BodyMatch:
    """"Bộ Chính trị Ban Chấp hành Trung ương Đảng ra …": a body named with the body it belongs to
    is the narrower one (the Politburo of the Central Committee)."""
    for gap in (1, 2):
        before = by_end.get(body.start - gap)
        if before is not None and text[before.end:body.start].strip(" ,") == "":
            if tables.bodies()[before.body_id].broader == body.body_id:
                return before  # ("Bộ Chính trị, Ban Chấp hành Trung ương Đảng đã ra …" too)
        if before is not None and text[before.end:body.start].strip() == "":
            if before.body_id in PARTY_CELLS and tables.bodies()[body.body_id].level == "state":
                # "Đảng ủy Sở Tư pháp tỉnh …": the Party committee of that State body
                return BodyMatch(before.start, body.end, before.body_id)
    return body


#: Party organisations that exist inside a State body ("Đảng ủy Bộ Y tế", "Chi bộ Sở Nội vụ").
PARTY_CELLS = frozenset({"dang-uy", "btv-dang-uy", "chi-bo", "dang-doan", "ban-can-su-dang"})


def issuer_named_before(text: str, start: int, word_start: int, by_start: dict[int, BodyMatch],
                        by_end: dict[int, BodyMatch] | None = None) -> BodyMatch | None:
    """"Báo cáo của Ban Tổ chức Trung ương về … (Báo cáo số 386-BC/BTCTW, …)": a citation in brackets
    whose type word named the document earlier in the clause, with its body ("<Type> của <body>")."""
    if not find.BRACKET_BEFORE.search(text, max(0, word_start - 4), word_start):
        return None
    word = " ".join(text[word_start:start].split()).lower()
    lo = max(0, word_start - 400)
    clause = max(text.rfind(ch, lo, word_start - 1) for ch in ";\n")
    found = None
    for w in find.type_word().finditer(text, max(lo, clause + 1), word_start - 1):
        if not word.startswith(" ".join(w.group().lower().split())):
            continue
        of = find.OF_BODY.match(text, w.end())
        if of and of.group().strip().lower() == "của" and of.end() in by_start:
            found = by_start[of.end()]
        elif by_end is not None:  # "Quốc hội thông qua Luật … (Luật số …)"
            found = issuer_before(text, w.start(), by_end) or found
    return found


def issuer_inside(text: str, start: int, by_end: dict[int, BodyMatch], system: str = "party") -> tuple[int, DocType | None, BodyMatch | None]:
    """"Quyết định của Bộ Chính trị số31-QĐ/TW": the type word, then "của <body>", then "số". Returns
    where the citation starts, its type and the body, or (start, None, None)."""
    n = find.NUMBER_WORD_BEFORE.search(text, max(0, start - 8), start)
    if n is None:
        return start, None, None
    body = by_end.get(n.start())
    if body is None:
        return start, None, None
    of = find.OF_BEFORE.search(text, max(0, body.start - 8), body.start)
    if of is None:
        return start, None, None
    word_start, dtype = type_before(text, of.start(), system)
    if dtype is None or text[word_start:of.start()].strip().lower().endswith("số"):
        return start, None, None
    return word_start, dtype, body


def issuer_of_plenum_named(text: str, start: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    """"Nghị quyết Hội nghị lần thứ 8 Ban Chấp hành Trung ương Đảng khóa V về Giá - Lương - Tiền số 25-NQ/TW": a type
    word, the plenum and its body, the trích yếu, then "số" and the symbol: that body issued it."""
    n = find.NUMBER_WORD_BEFORE.search(text, max(0, start - 8), start)
    if n is None:
        return None
    low = lowered(text)
    if low is not None and low.find("hội nghị", max(0, n.start() - 240), n.start() + 9) < 0:
        return None  # no plenum after a type word in the clause (most symbols: the look-back is skipped)
    found = None
    if low is not None:
        for w in find.type_word_lower().finditer(low, clause_start(text, n.start(), 240), n.start()):
            found = w
    else:
        for w in find.type_word().finditer(text, clause_start(text, n.start(), 240), n.start()):
            found = w
    if found is None:
        return None
    p = find.PLENUM.match(text, found.end() + 1) if text[found.end():found.end() + 1] == " " else None
    if p is None or not text[p.start():p.end()].lower().startswith("hội nghị"):
        return None
    return body_at(text, p.end(), by_start)


def issuer_of_list(text: str, start: int, by_end: dict[int, BodyMatch]) -> BodyMatch | None:
    """"04 Nghị quyết của Bộ Chính trị, gồm: Nghị quyết số …": the body named before a list whose
    first citation starts at ``start``."""
    window = text[max(0, start - 20):start]
    if ":" not in window and "gồm" not in window and "sau" not in window:
        return None  # (what every LIST_INTRO holds: most citations follow none)
    m = find.LIST_INTRO.search(text, max(0, start - 20), start)
    if m is None:
        return None
    body = by_end.get(m.start())
    if body is None or not find.OF_BEFORE.search(text, max(0, body.start - 8), body.start):
        return None
    return body


def type_named_before(text: str, start: int, system: str = "party") -> DocType | None:
    """"Quy chế làm việc của … (số06-QĐ/TW ngày 22-8-2001)": a symbol in brackets right after a
    document named by its type word: that word is its type. Looks back within the clause only."""
    m = find.BRACKETED_NUMBER.search(text, max(0, start - 8), start)
    if m is None:
        return None
    lo = max(0, m.start() - 200)
    clause = max(text.rfind(ch, lo, m.start()) for ch in ".;:\n(")
    found = None
    for w in find.type_word().finditer(text, max(lo, clause + 1), m.start()):
        if w.group()[0].isupper():
            found = w
    if found is None:
        return None
    return tables.type_by_word(system).get(" ".join(found.group().lower().split()))
