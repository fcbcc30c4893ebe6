"""Stage 4: read a citation's attributes from the words around its symbol.

Pure functions over normalised text: the type word before the symbol decides the type
("Quy định số 37-QĐ/TW" is a Quy định); a date, the issuing body (của / do …), the term
(khóa) and the title (về …) follow it; "<body> ban hành <citation>" names the body before.
"""
from __future__ import annotations

import datetime as dt
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
    body_id: str


def type_before(text: str, start: int, system: str = "party") -> tuple[int, DocType | None]:
    """The type word ending where the symbol starts, and where it begins. The same word names a
    Party or a State type ("Quyết định số 23-QĐ/TW", "Quyết định số 12/2021/QĐ-UBND")."""
    window_start = max(0, start - 40)
    m = find.type_word_before().search(text, window_start, start)
    if not m:
        return start, None
    word = " ".join(m.group("word").lower().split())
    return m.start(), tables.type_by_word(system).get(word)


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
    g = m.groupdict()
    for d, mo, y in (("d", "m", "y"), ("d2", "m2", "y2"), ("d3", "m3", "y3")):
        if g.get(d):
            date = iso_date(g[d], g[mo], g[y])
            if date:
                return date, m.end(), None
            return None, pos, f"{g[d]}/{g[mo]}/{g[y]}"
    return None, pos, None


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
    if body.body_id in NUMBERED_BODIES:  # "Thuế cơ sở 11 thành phố Hà Nội"
        n = find.BODY_NUMBER.match(text, end)
        end = n.end() if n else end
    entry = tables.bodies()[body.body_id]
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
    if (level in {"province", "district", "grassroots"} and end == body.end) or body.body_id in PLACED_STATE_BODIES:
        # "Thành ủy Hà Nội"; "Ủy ban nhân dân tỉnh Tuyên Quang", "HĐND Thành phố Hà Nội" (level and place)
        p = find.PLACE_NAME.match(text, end)
        if p:
            # a place never runs into the next body ("Đảng ủy Sở Tư pháp …" is two bodies)
            end = next((k for k in range(end + 1, p.end()) if k in by_start), p.end())
            end = end - 1 if end < p.end() else end
    return BodyMatch(body.start, end, body.body_id)


#: Bodies numbered within their parent: the number belongs to the name.
NUMBERED_BODIES = frozenset({"thue-co-so"})
#: State bodies of every province or district: their level and place belong to the name.
PLACED_STATE_BODIES = frozenset({"ubnd", "hdnd", "chu-tich-ubnd", "ub-mttq", "bhxh"})
#: Issuer codes of local State bodies whose symbol may be followed by their place ("23/NQ-HĐND tỉnh Khánh Hòa").
CODE_BODIES = {"UBND": "ubnd", "HĐND": "hdnd"}


def body_at(text: str, pos: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    b = by_start.get(pos)
    return extend_body(text, b, by_start) if b else None


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
    if not body:
        return None, pos, False
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
    u = find.UNQUOTED_TITLE.match(text, m.end())
    if not u:
        return None, pos, False
    end = u.end()
    first_word = text.find(" ", m.end(), end)
    stop = find.TITLE_STOP.search(text, first_word, end) if first_word > 0 else None
    if stop:
        end = stop.start()
    title = " ".join(text[m.end():end].split()).rstrip(" .,")
    while end > m.end() and text[end - 1] in " ,.":
        end -= 1
    return (title or None), end, False


def year_of_work_after(text: str, pos: int) -> int:
    """"Quy định 69-QĐ/TW năm 2022": where the year of the work ends (it is never the date)."""
    m = find.YEAR_OF_WORK.match(text, pos)
    return m.end() if m else pos


def date_before_issuer(text: str, body_start: int) -> str | None:
    """"Ngày 12/12/2013, Bộ Chính trị ban hành Quyết định số …": the sentence opens with the date
    of issue. Only there: "Hội nghị tổ chức vào ngày 30/3/2023, … ban hành" dates a meeting."""
    m = find.DATE_OPENS.search(text, max(0, body_start - 48), body_start)
    if not m:
        return None
    return iso_date(m.group("d"), m.group("m"), m.group("y")) if m.group("d") else iso_date(m.group("d2"), m.group("m2"), m.group("y2"))


def issuer_before(text: str, start: int, by_end: dict[int, BodyMatch]) -> BodyMatch | None:
    """The body that the words before a citation say issued it: "Ban Thường vụ Thành ủy ban hành
    Chỉ thị số …", "BTV Tỉnh ủy có Kế hoạch số …", "Bộ Chính trị đã ký …", "đề nghị của Sở Nội vụ
    tại Tờ trình số …"."""
    window = max(0, start - 60)
    m = find.ISSUED_BY_BEFORE.search(text, window, start)
    if m is not None:
        committee = _steering_committee(text, m.start())
        if committee is not None:
            return committee
        body = by_end.get(m.start())
        if body is None:  # "HĐND tỉnh Bạc Liêu ban hành", "Ban Bí thư (khóa XI) đã ban hành"
            body = _body_across(text, m.start(), by_end)
        if body is not None:
            behalf = _on_behalf_of(text, body.start, by_end)
            if behalf is not None:  # "Thay mặt Ủy ban Thường vụ Quốc hội, Chủ tịch Quốc hội … ký ban hành"
                return behalf
            if _one_of_two(text, body, by_end):
                return None  # "Ban Tổ chức Tỉnh ủy và Ban Dân vận Tỉnh ủy ban hành …": two bodies, no one issuer
            return _narrower_before(text, body, by_end)
    m = find.APPROVED_BY_AT.search(text, window, start)
    if m is not None:  # "… đã được Thủ tướng Chính phủ phê duyệt tại Quyết định …"
        body = by_end.get(m.start()) or _body_across(text, m.start(), by_end)
        if body is not None and find.PASSIVE_BEFORE_BODY.search(text, max(0, body.start - 12), body.start):
            return body
    m = find.OF_BODY_AT.search(text, window, start)
    if m is not None:
        body = by_end.get(m.start())
        if body is not None and find.OF_BEFORE.search(text, max(0, body.start - 8), body.start) \
                and find.WORD_OF_BODY.search(text, max(0, body.start - 32), body.start):
            return body  # "đề nghị của Sở Nội vụ tại Tờ trình số …", never "nhiệm vụ của Bộ … tại Nghị quyết …"
    return None


def issuer_acting_in(text: str, start: int, end: int, by_start: dict[int, BodyMatch]) -> BodyMatch | None:
    """"Tại Quyết định số 1210/QĐ-TTg, Thủ tướng Chính phủ đã công nhận …": the body that acts in the
    document cited after "tại" (``start``–``end``) is its issuer."""
    if not find.IN_DOCUMENT_BEFORE.search(text, max(0, start - 8), start):
        return None
    comma = find.COMMA_BEFORE_BODY.match(text, end)
    if comma is None:
        return None
    body = body_at(text, comma.end(), by_start)
    if body is None or not find.ACTS_IN_DOCUMENT.match(text, body.end):
        return None
    return body


def reference_author(text: str, start: int, by_end: dict[int, BodyMatch]) -> tuple[BodyMatch | None, str | None]:
    """The author and date of a bibliography entry whose quoted title opens with the citation at ``start``."""
    m = find.REFERENCE_BEFORE.search(text, max(0, start - 48), start)
    if m is None:
        return None, None
    body = by_end.get(m.start()) or by_end.get(m.start() - 1)
    if body is None:
        return None, None
    g = m.groupdict()
    date = iso_date(g["d"], g["m"], g["y"]) if g["d"] else iso_date(g["d2"], g["m2"], g["y2"])
    return body, date


#: Kinds of body that are no name by themselves ("Ban Chỉ đạo" is the committee of whatever its name goes on to
#: say): never matched alone, only with their whole name (`_steering_committee`).
NAMED_IN_FULL = frozenset({"ban-chi-dao"})
STEERING_REACH = 200  # a steering committee's name ("Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 18-NQ/TW …")


def _steering_committee(text: str, verb: int) -> BodyMatch | None:
    """"Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 18-NQ/TW năm 2017 của Chính phủ ban hành …": a
    steering committee named up to its verb, whatever its name holds (a body, a citation)."""
    lo = max(0, verb - STEERING_REACH)
    last = None
    for m in find.STEERING_NAME.finditer(text, lo, verb):
        last = m
    if last is None or any(ch in ".;:\n" for ch in text[last.start():verb]):
        return None
    body_id = "bcd-tw" if text[last.start():verb].lower().startswith("ban chỉ đạo trung ương") else "ban-chi-dao"
    end = verb
    while end > last.end() and text[end - 1].isspace():
        end -= 1
    return BodyMatch(last.start(), end, body_id)


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
    if m is None:
        return None
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


def issuer_of_list(text: str, start: int, by_end: dict[int, BodyMatch]) -> BodyMatch | None:
    """"04 Nghị quyết của Bộ Chính trị, gồm: Nghị quyết số …": the body named before a list whose
    first citation starts at ``start``."""
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
