"""Stage 1: read a report into text, or fail with one clear line.

Plain text (.txt, .md) in UTF-8 with or without BOM, UTF-16 with BOM, or any encoding named
with ``encoding=`` (cp1258 included); .docx and .odt by a streaming parse of their XML with
lxml, entities off (python-docx builds the whole tree: a zip bomb takes all the memory); .rtf by
one linear pass over its tokens; .doc when it is RTF or HTML under that name (a real Word 97
file gets one line saying how to convert it); .pdf with a text layer through PDFium (pypdfium2:
pypdf spaces out the glyphs of Vietnamese text from common producers), without the running
headers, footers and page numbers of its pages; .html through lxml's HTML parser (linear; the
standard library's is quadratic on hostile markup). Every reader runs under a time limit per
file. A UTF-8 BOM is kept as U+FEFF so offsets agree with any reader that decodes the file as UTF-8.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .normalise import NEWLINE_END, PAGE_NUMBER_WORDS, running_key

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".docx", ".odt", ".rtf", ".doc", ".pdf", ".html", ".htm"}


class ReadError(Exception):
    """A report that cannot be read; the message is one line for the user."""


STREAM_BYTES = 32 * 1024 * 1024   # text files larger than this are read in chunks, never whole
CHUNK_CHARS = 4 * 1024 * 1024     # about this much text per chunk, cut at a paragraph break


@dataclass
class Report:
    path: str       # as the user named it ("-" for standard input)
    text: str | None  # None for a large file: read it with chunks()
    sha256: str     # of the bytes as read: the report's identity in the store
    chunks: Callable[[], Iterator[str]] | None = None
    warnings: list[str] = field(default_factory=list)  # what reading lost ("page 3 has no text layer")


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    codec = _text_encoding(data, name, encoding)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        hint = "; pass --encoding (e.g. cp1258 for the legacy Vietnamese code page)" if not encoding else ""
        label = "UTF-8" if codec == "utf-8" else codec
        raise ReadError(f"{name}: not valid {label} (byte 0x{data[e.start]:02x} at offset {e.start}){hint}") from None


# Caps: a report is text, and no real one comes near these. A file over a cap is refused with a
# message that says so, before it is parsed (a zip bomb or a 3 GB page never reaches memory).
MAX_FILE_BYTES = {".docx": 64 << 20, ".odt": 64 << 20, ".pdf": 256 << 20, ".html": 128 << 20, ".htm": 128 << 20,
                  ".rtf": 128 << 20, ".doc": 64 << 20}
MAX_TEXT_CHARS = 64 << 20         # text taken out of a .docx, .odt, .rtf, .pdf or .html
MAX_UNZIPPED = 256 << 20          # all members of a .docx or .odt, uncompressed
MAX_ZIP_RATIO = 100               # uncompressed / compressed, per member (real .docx XML: 5-20)
MIN_RATIO_CHECK = 64 << 10        # members smaller than this cannot hold a bomb worth the name
MAX_PAGES = 10_000                # a PDF report with more pages is refused (a shared page tree can claim 10⁶)
READ_SECONDS = 120.0              # per file: a reader that takes longer stops with one line
FEED = 1 << 20                    # parsers are fed this much at a time, the clock checked between
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODF_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CONVERT_DOC = "convert it with `soffice --headless --convert-to docx` (LibreOffice) and read the .docx"


class _Clock:
    """The per-file time limit, checked by every reader between pieces of work (pages, 1 MB of
    markup, 10,000 RTF tokens): every parser kg uses is linear, so a piece takes bounded time."""

    def __init__(self, name: str, seconds: float | None = None):
        self.name = name
        self.limit = READ_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.limit

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ReadError(f"{self.name}: reading took over {self.limit:g} s; refused (a hostile or broken file?)")


class _Text:
    """Text taken out of markup: paragraphs and table rows, capped at MAX_TEXT_CHARS."""

    def __init__(self, name: str):
        self.name = name
        self.paras: list[tuple[str, bool]] = []  # (text, may continue a sentence: a body paragraph)
        self.current: list[str] = []
        self.size = 0

    def add(self, s: str) -> None:
        self.current.append(s)
        self.size += len(s)
        if self.size > MAX_TEXT_CHARS:
            raise ReadError(f"{self.name}: more than {MAX_TEXT_CHARS >> 20} M characters of text; refused")

    def end_paragraph(self, joinable: bool = True) -> None:
        self.paras.append(("".join(self.current), joinable))
        self.current = []

    def text(self) -> str:
        """Paragraphs joined by a blank line, except where a sentence visibly runs on into the next
        paragraph (a document made from PDF or plain text, one line a paragraph): there a single
        line break, which normalise joins as it joins the lines of a PDF. When most paragraphs
        run on, every body paragraph is a line (normalise then decides by line width, as for PDF)."""
        if self.current:
            self.end_paragraph()
        paras = [(t, j) for t, j in self.paras if t.strip()]
        if not paras:
            return ""
        runs_on = [j and nxt[1] and _runs_on(t, nxt[0]) for (t, j), nxt in zip(paras, paras[1:])]
        wrapped = len(runs_on) >= 4 and sum(runs_on) >= 0.3 * len(runs_on)
        out = [paras[0][0]]
        for ((t, j), (n, nj)), on in zip(zip(paras, paras[1:]), runs_on):
            out.append("\n" if on or (wrapped and j and nj and t.rstrip()[-1:] not in NEWLINE_END) else "\n\n")
            out.append(n)
        return "".join(out)


def _runs_on(line: str, nxt: str) -> bool:
    """Whether a sentence visibly goes on from one paragraph into the next: no closing mark, and
    the next starts in lower case or a digit, or this one ends on a hyphen, comma or slash."""
    end, start = line.rstrip()[-1:], nxt.lstrip()[:1]
    if not end or not start or end in NEWLINE_END:
        return False
    return end in ",-/(&" or start.islower() or start.isdigit()


def _xml_text(stream, name: str, clock: _Clock, target) -> None:
    """Feed an XML member to lxml piece by piece, entities never expanded, no DTD or network
    loaded; a DOCTYPE anywhere (after a comment of any length) refuses the file."""
    from lxml import etree
    parser = etree.XMLParser(target=target, resolve_entities=False, load_dtd=False, no_network=True,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        while data := stream.read(FEED):
            parser.feed(data)
            clock.check()
        parser.close()
    except etree.XMLSyntaxError:
        raise ReadError(f"{name}: not a readable file (broken XML)") from None


class _Markup:
    """lxml parser target: tags in, paragraphs out. Subclasses say which tags mean what."""

    def __init__(self, text: _Text):
        self.out = text
        self.cell: list[str] | None = None
        self.row: list[str] = []

    def doctype(self, *args) -> None:
        raise ReadError(f"{self.out.name}: the file declares XML entities (a DOCTYPE); refused")

    def put(self, s: str) -> None:
        if self.cell is not None:
            self.cell.append(s)
        else:
            self.out.add(s)

    def start_cell(self) -> None:
        self.cell = []

    def end_cell(self) -> None:
        self.row.append("".join(self.cell or []).strip())
        self.out.size += sum(map(len, self.cell or []))
        self.cell = None

    def end_row(self) -> None:
        if self.out.current:
            self.out.end_paragraph()
        self.out.current = [" | ".join(self.row)]
        self.out.end_paragraph(joinable=False)
        self.row = []

    def end_paragraph(self) -> None:
        if self.cell is not None:
            self.cell.append("\n")
        else:
            self.out.end_paragraph()

    def comment(self, text) -> None:
        pass

    def close(self) -> None:
        return None


class _Docx(_Markup):
    """word/document.xml: w:t text, w:tab, w:br, w:p paragraphs, w:tc cells, w:tr rows."""

    def __init__(self, text: _Text):
        super().__init__(text)
        self.in_t = 0

    def start(self, tag, attrib) -> None:
        if tag == _W + "t":
            self.in_t += 1
        elif tag == _W + "tc":
            self.start_cell()

    def data(self, s) -> None:
        if self.in_t:
            self.put(s)

    def end(self, tag) -> None:
        if tag == _W + "t":
            self.in_t -= 1
        elif tag == _W + "tab":
            self.put("\t")
        elif tag in (_W + "br", _W + "cr"):
            self.put("\n")
        elif tag == _W + "p":
            self.end_paragraph()
        elif tag == _W + "tc":
            self.end_cell()
        elif tag == _W + "tr":
            self.end_row()


class _Odt(_Markup):
    """content.xml of an OpenDocument text: text:p and text:h paragraphs (spans inside), text:s
    spaces, text:tab, text:line-break, table cells and rows; annotations and note marks left out."""

    SKIP = {_ODF_OFFICE + "annotation", _ODF_TEXT + "note-citation", _ODF_TEXT + "tracked-changes"}

    def __init__(self, text: _Text):
        super().__init__(text)
        self.depth = 0   # inside text:p / text:h
        self.skip = 0

    def start(self, tag, attrib) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag in (_ODF_TEXT + "p", _ODF_TEXT + "h"):
            self.depth += 1
        elif tag == _ODF_TEXT + "s" and self.depth:
            try:
                n = int(attrib.get(_ODF_TEXT + "c", "1"))
            except ValueError:
                n = 1
            self.put(" " * max(1, min(n, 100)))  # capped: a count is no way to grow the text
        elif tag == _ODF_TEXT + "tab" and self.depth:
            self.put("\t")
        elif tag == _ODF_TEXT + "line-break" and self.depth:
            self.put("\n")
        elif tag == _ODF_TABLE + "table-cell":
            self.start_cell()

    def data(self, s) -> None:
        if self.depth and not self.skip:
            self.put(s)

    def end(self, tag) -> None:
        if tag in self.SKIP:
            self.skip -= 1
        elif self.skip:
            return
        elif tag in (_ODF_TEXT + "p", _ODF_TEXT + "h"):
            self.depth -= 1
            if not self.depth:
                self.end_paragraph()
        elif tag == _ODF_TABLE + "table-cell":
            self.end_cell()
        elif tag == _ODF_TABLE + "table-row":
            self.end_row()


def _zipped_xml(data: bytes, name: str, kind: str, member: str, target_class, clock: _Clock) -> str:
    """The text of an office file that is zipped XML (.docx, .odt). The zip is checked first: its
    members' uncompressed size and compression ratio, so a zip bomb is refused unopened; the XML
    is then parsed as a stream with entities off."""
    import zipfile
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(f"{name}: a Word 97-2003 (.doc) file under another name; {CONVERT_DOC}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError(f"{name}: not a readable {kind} file") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise ReadError(f"{name}: unzips to {total >> 20} MB, over the {MAX_UNZIPPED >> 20} MB a {kind} may hold; refused")
    for i in infos:
        if i.file_size > MIN_RATIO_CHECK and i.file_size > MAX_ZIP_RATIO * max(1, i.compress_size):
            raise ReadError(f"{name}: {i.filename} is compressed {i.file_size // max(1, i.compress_size)}:1 "
                            f"(a zip bomb?); refused")
    if member not in zf.namelist():
        raise ReadError(f"{name}: not a readable {kind} file (no {member})")
    text = _Text(name)
    try:
        with zf.open(member) as xml:
            _xml_text(xml, name, clock, target_class(text))
    except ReadError as e:
        raise ReadError(str(e).replace("not a readable file", f"not a readable {kind} file")) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise ReadError(f"{name}: not a readable {kind} file") from None
    return text.text().strip("\n")


def _docx(data: bytes, name: str, clock: _Clock) -> str:
    """The text of a .docx: word/document.xml, paragraphs as blank-line separated lines (a single
    line break where a sentence runs on), table cells joined by " | "."""
    return _zipped_xml(data, name, ".docx", "word/document.xml", _Docx, clock)


def _odt(data: bytes, name: str, clock: _Clock) -> str:
    """The text of an OpenDocument text (.odt, LibreOffice's own format): content.xml, read as .docx is."""
    return _zipped_xml(data, name, ".odt", "content.xml", _Odt, clock)


#: Headings are written as Markdown writes them ("# " for <h1>): a page read from HTML then has
#: the shape of a page a site served as Markdown, whose heading tells extraction it is a web page.
_HEADING_MARKS = {f"h{n}": "#" * n + " " for n in range(1, 7)}


class _HTMLText(_Markup):
    """lxml's HTML parser target: the page's text, block tags as paragraph breaks. Left out:
    scripts and styles; the <title> (the tab's name, mostly the page's heading again: its
    citations would count twice, and it was glued to the body's first words); a site's menus and
    side panels (<nav>, <aside>: links to other documents, which the page does not cite); forms'
    option lists and icons."""
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "th",
             "header", "footer", "main", "table", "thead", "tbody", "tfoot", "caption", "ul", "ol", "dl",
             "dt", "dd", "blockquote", "pre", "figure", "figcaption", "hr", "address", "form", "fieldset",
             "details", "summary"}
    SKIP = {"script", "style", "noscript", "template", "title", "nav", "aside", "select", "button", "svg"}

    def __init__(self, text: _Text):
        super().__init__(text)
        self.skip = 0

    def doctype(self, *args) -> None:  # <!doctype html> is normal in HTML
        pass

    def start(self, tag, attrib) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.add("\n\n")
            if tag in _HEADING_MARKS and not self.skip:
                self.out.add(_HEADING_MARKS[tag])

    def end(self, tag) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK and tag != "br":
            self.out.add("\n\n")

    def data(self, s) -> None:
        if not self.skip:
            self.out.add(s)


def _html(data: bytes, name: str, encoding: str | None, clock: _Clock) -> str:
    """Text of an HTML page through lxml's (libxml2's) HTML parser, linear in the page's size
    (the standard library's parser is quadratic on "<a<a<a…"), fed 1 MB at a time."""
    from lxml import etree
    text = _decode(data, name, encoding)
    out = _Text(name)
    parser = etree.HTMLParser(target=_HTMLText(out), no_network=True, remove_comments=True, remove_pis=True)
    for i in range(0, len(text), FEED):
        parser.feed(text[i:i + FEED])
        clock.check()
    parser.close()
    return "".join(out.current)


# RTF: one linear pass over its tokens (a control word, a hex byte, an escaped symbol, a brace,
# a line break, a run of text). striprtf (BSD-3) was measured first: its hyperlink regex takes
# 260 s on a crafted 60 KB file (cubic), so kg reads RTF itself.
_RTF_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]{1,4096})",
                        re.DOTALL)
_RTF_SKIP = frozenset("""fonttbl colortbl stylesheet info pict object header footer headerl headerr headerf
footerl footerr footerf footnote annotation atnid atnauthor fldinst themedata colorschememapping
datastore latentstyles listtable listoverridetable rsidtbl generator xmlnstbl mmathPr bkmkstart bkmkend
filetbl revtbl pgdsctbl protusertbl""".split())
_RTF_WORDS = {"par": "\n\n", "line": "\n", "tab": "\t", "cell": " | ", "row": "\n\n", "sect": "\n\n", "page": "\n\n",
              "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019",
              "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": " ", "enspace": " ",
              "~": "\u00a0", "-": "", "_": "\u2011"}


def _rtf(data: bytes, name: str, clock: _Clock) -> str:
    """The text of an RTF file: \\uN characters, \\'xx bytes in the document's code page
    (\\ansicpgN, cp1258 for Vietnamese), paragraphs; font tables, pictures, fields' codes and other
    destinations left out (a field's result, the text a reader sees, is kept)."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ReadError(f"{name}: not an RTF file (no {{\\rtf header)")
    src = data.decode("latin-1")  # RTF is 7-bit; bytes above go through \'xx
    out = _Text(name)
    codepage = "cp1252"
    stack: list[tuple[bool, int]] = []
    skip, uc, pending = False, 1, 0   # in a left-out destination; \ucN; fallback chars still to drop
    hexes = bytearray()

    def flush() -> None:
        if hexes:
            out.add(hexes.decode(codepage, "replace"))
            hexes.clear()
    for n, m in enumerate(_RTF_TOKEN.finditer(src)):
        if n % 10_000 == 0:
            clock.check()
        word, arg, hexbyte, symbol, brace, run = m.groups()
        if hexbyte is None:
            flush()
        if brace == "{":
            if len(stack) > 10_000:
                raise ReadError(f"{name}: groups nested over 10,000 deep; refused")
            stack.append((skip, uc))
            pending = 0
        elif brace == "}":
            skip, uc = stack.pop() if stack else (True, 1)
            pending = 0
        elif word is not None:
            if word in _RTF_SKIP:
                skip = True
            elif word == "ansicpg" and arg:
                try:
                    codecs.lookup(f"cp{arg}")
                    codepage = f"cp{arg}"
                except LookupError:
                    pass
            elif skip:
                continue
            elif word == "uc" and arg:
                uc = max(0, min(int(arg), 10))
            elif word == "u" and arg:
                c = int(arg)
                c = c + 0x10000 if c < 0 else c
                if 0 < c < 0x110000 and not 0xD800 <= c < 0xE000:
                    out.add(chr(c))
                pending = uc
            elif word in _RTF_WORDS:
                out.add(_RTF_WORDS[word])
        elif hexbyte is not None:
            if pending:
                pending -= 1
            elif not skip:
                hexes.append(int(hexbyte, 16))
        elif symbol is not None:
            if symbol == "*":
                skip = True
            elif not skip and symbol in "\\{}":
                out.add(symbol)
            elif not skip and symbol in "\r\n":  # a backslash before a line break is \par
                out.add("\n\n")
            elif not skip and symbol in _RTF_WORDS:
                out.add(_RTF_WORDS[symbol])
        elif run is not None and not skip:
            if pending:
                drop = min(pending, len(run))
                run, pending = run[drop:], pending - drop
            out.add(run)
    flush()
    return "".join(out.current)


def _doc(data: bytes, name: str, encoding: str | None, clock: _Clock) -> str:
    """A .doc: many are RTF or HTML saved under that name, which kg reads; a real Word 97-2003
    file has no maintained, permissively licensed reader for Python, so kg says how to convert it."""
    head = data[:1024].lstrip()
    if head.startswith(b"{\\rtf"):
        return _rtf(data, name, clock)
    if head[:2] == b"PK":
        return _docx(data, name, clock)
    if re.search(rb"(?i)<(?:html|body|p|div)[\s>]", head):
        return _html(data, name, encoding, clock)
    raise ReadError(f"{name}: a Word 97-2003 .doc file, which kg cannot read; {CONVERT_DOC}")


_PAGE_NUMBER_LINE = re.compile(PAGE_NUMBER_WORDS)


#: PDFium joins a word broken at a hyphen at a line's end and gives the hyphen as U+FFFE (some
#: builds U+0002): "136/2003/NĐ\ufffeCP". A Vietnamese line breaks between words, never inside
#: a syllable, so that hyphen is one the text holds (a symbol's, "Bà Rịa-Vũng Tàu"): read as "-".
_PDFIUM_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-"})


def _running_lines(pages: list[list[str]], reach: int = 3) -> set[str]:
    """Keys (`running_key`) of the lines that open or close most pages: running headers and footers
    ("11/25/26, 6:15 PM Báo cáo", "file:///… 1/3")."""
    counts: dict[str, int] = {}
    for lines in pages:
        edge = [ln for ln in lines if ln.strip()]
        for ln in {*edge[:reach], *edge[-reach:]}:
            key = running_key(ln)
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need and len(k) <= 160}


def _page_text(lines: list[str], running: set[str], reach: int = 3) -> str:
    """A page without its running header/footer and page number (looked for at its edges only:
    the first and last few lines that hold text)."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    keep = list(lines)
    for i in {*filled[:reach], *filled[-reach:]}:
        ln = keep[i]
        if _PAGE_NUMBER_LINE.fullmatch(ln) or running_key(ln) in running:
            keep[i] = ""
    return "\n".join(ln for ln in keep if ln.strip() or ln == "").strip("\n")


#: A line starts a paragraph when the space above it is this many times the page's usual line
#: pitch (in heights of the line above: the closest quarter of the page's lines) (a blank line, or the spacing a word processor puts between paragraphs: 6 pt after 13 pt
#: text is 1.3), or when it is indented by this many times its height past the left margin under
#: a line that starts at the margin (a first-line indent).
PARAGRAPH_PITCH = 1.18
PARAGRAPH_INDENT = 0.8


def _page_lines(textpage) -> list[str]:
    """A page's lines as PDFium reads them, with an empty line where a paragraph ends: PDFium's
    text has no blank line between paragraphs, so a heading or a button label without closing
    punctuation ran on into the paragraph under it. Each line's place is its first character's
    loose box (the font's ascent and descent, so one size gives one height whatever the glyph):
    a gap above it larger than the page's usual line pitch, or a first-line indent, starts a
    paragraph, unless the sentence visibly runs on (no closing mark above, lower case below).
    Two calls to PDFium a line; a page whose characters do not line up with its text (PDFium
    counts a character its text does not show) keeps its lines as they are."""
    text = textpage.get_text_range()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(text) != textpage.count_chars() or len(lines) < 3:
        return lines
    boxes: list[tuple[float, float, float] | None] = []  # (left, bottom, height) of each line's first character
    pos = 0
    for ln in lines:
        lead = len(ln) - len(ln.lstrip())
        if lead < len(ln):
            left, bottom, _, top = textpage.get_charbox(pos + lead, loose=True)
            boxes.append((left, bottom, top - bottom) if top > bottom else None)
        else:
            boxes.append(None)
        pos += len(ln) + (2 if text.startswith("\r\n", pos + len(ln)) else 1)
    placed = [b for b in boxes if b]
    if len(placed) < 3:
        return lines
    # pitches in heights of the line above (a footnote's small lines have the body's proportions)
    pitches = sorted((a[1] - b[1]) / a[2] for a, b in zip(placed, placed[1:]) if 0 < a[1] - b[1] < 3 * a[2])
    if not pitches:
        return lines
    pitch = pitches[len(pitches) // 4]  # a paragraph's lines are the closest (a short page is half headings)
    margin = min(b[0] for b in placed)
    out = [lines[0]]
    for k in range(1, len(lines)):
        above, here = boxes[k - 1], boxes[k]
        if above and here and lines[k - 1].strip() and _starts_paragraph(lines[k - 1], lines[k], above, here, pitch, margin):
            out.append("")
        out.append(lines[k])
    return out


def _starts_paragraph(prev: str, line: str, above: tuple[float, float, float], here: tuple[float, float, float],
                      pitch: float, margin: float) -> bool:
    gap = (above[1] - here[1]) / above[2]
    wide = PARAGRAPH_PITCH * pitch < gap < 6 * pitch  # (not the next column, not a page's footer)
    indented = (above[0] - margin < 0.2 * here[2] and here[0] - margin > PARAGRAPH_INDENT * here[2]
                and 0 < gap < 2 * pitch)
    if not (wide or indented):
        return False
    words, start = prev.rstrip(), line.lstrip()[:1]
    end = words[-1:]
    if " " in words and words.upper() == words != words.lower():
        return True  # a heading in capitals ("BÁO CÁO" over its trích yếu "sơ kết …"; not a symbol's half "HD/VPTW")
    return not (end not in NEWLINE_END and (start.islower() or end in ",-(/&"))  # the sentence runs on


def _spaced_glyphs(text: str) -> bool:
    """A text layer read glyph by glyph ("Th ự c hi ệ n K ế t lu ậ n"): many one-letter words."""
    words = text.split()
    if len(words) < 50:
        return False
    single = sum(1 for w in words if len(w) == 1 and w.isalpha())
    return single > 0.2 * len(words)


def _pdf(data: bytes, name: str, warnings: list[str], clock: _Clock) -> str:
    """The text layer of each page, pages joined by a line break and a form feed (a page break that
    normalise reads as a space inside a sentence), running headers, footers and page numbers left
    out so they never split a citation. At most MAX_PAGES pages (a page tree that shares its nodes
    claims a million pages in 1.5 KB), within the reader's time limit."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower() or getattr(e, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise ReadError(f"{name}: the PDF is encrypted (password-protected); save an unprotected copy") from None
        raise ReadError(f"{name}: not a readable PDF file") from None
    except Exception:
        raise ReadError(f"{name}: not a readable PDF file") from None
    try:
        pages_in = len(pdf)
        if pages_in > MAX_PAGES:
            raise ReadError(f"{name}: the PDF claims {pages_in:,} pages, over the {MAX_PAGES:,} kg reads; refused")
        raw, size = [], 0
        for i in range(pages_in):
            clock.check()
            page = pdf[i]
            textpage = page.get_textpage()
            raw.append("\n".join(_page_lines(textpage)).translate(_PDFIUM_HYPHENS))
            textpage.close()
            page.close()
            size += len(raw[-1])  # a running total: summing every page again per page was quadratic
            if size > MAX_TEXT_CHARS:
                raise ReadError(f"{name}: more than {MAX_TEXT_CHARS >> 20} M characters of text; refused")
    except ReadError:
        raise
    except Exception:
        raise ReadError(f"{name}: not a readable PDF file") from None
    finally:
        pdf.close()
    empty = [i + 1 for i, t in enumerate(raw) if len(t.strip()) < 3]
    if len(empty) == len(raw):
        raise ReadError(f"{name}: the PDF has no text layer (a scan?); kg does not OCR: run OCR on it first")
    if empty:
        warnings.append(f"{name}: page{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty[:20]))} "
                        f"of {len(raw)} ha{'ve' if len(empty) > 1 else 's'} no text layer (scanned?); their text is missing")
    pages = [t.split("\n") for t in raw]
    running = _running_lines(pages) if len(pages) > 1 else set()
    text = "\n\f".join(_page_text(lines, running) for lines in pages)
    if _spaced_glyphs(text):
        warnings.append(f"{name}: the text layer is spaced out glyph by glyph; citations and issuers may be missed")
    return text


def decode_report(data: bytes, name: str, encoding: str | None = None, warnings: list[str] | None = None) -> str:
    """Bytes of a report → its text, by the file's suffix; what reading lost goes to ``warnings``.
    Every reader works under one time limit per file (READ_SECONDS)."""
    warnings = [] if warnings is None else warnings
    if not data:
        raise ReadError(f"{name}: empty file")
    suffix = Path(name).suffix.lower()
    clock = _Clock(name)
    if suffix == ".docx":
        text = _docx(data, name, clock)
    elif suffix == ".odt":
        text = _odt(data, name, clock)
    elif suffix == ".rtf":
        text = _rtf(data, name, clock)
    elif suffix == ".doc":
        text = _doc(data, name, encoding, clock)
    elif suffix == ".pdf":
        text = _pdf(data, name, warnings, clock)
    elif suffix in {".html", ".htm"}:
        text = _html(data, name, encoding, clock)
    else:
        text = _decode(data, name, encoding)
    if not text.strip("\ufeff \t\r\n"):
        raise ReadError(f"{name}: no text in the file")
    return text


def check_encoding(encoding: str) -> None:
    """A text codec, or one clear error ("rot13" and "base64" are codecs, not text encodings)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ReadError(f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ReadError(f"{encoding!r} is not a text encoding (try utf-8, utf-16 or cp1258)")


def display_name(path: str) -> str:
    """A file name as text that can be printed and stored: bytes that are not UTF-8 (kept by the
    OS as lone surrogates) shown as \\xNN."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _text_encoding(head: bytes, name: str, encoding: str | None) -> str:
    """The codec of a text file from its first bytes: the one asked for, UTF-16 by its BOM, else
    UTF-8 (a UTF-8 BOM stays in the text as U+FEFF); NUL bytes without a BOM (more than one in a
    hundred: UTF-16 or binary data, not a text layer's stray unmapped glyph) mean binary."""
    if encoding:
        check_encoding(encoding)
        return encoding
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    sample = head[:8192]
    if sample.count(0) * 100 > len(sample):  # a stray NUL is a glyph a PDF text layer could not map ("Bạc Liêu⏎\x00僚")
        raise ReadError(f"{name}: looks binary, not text (NUL bytes); UTF-16 needs a BOM, or pass --encoding utf-16-le")
    return "utf-8"


def _cut(buffer: str) -> int:
    """Where to end a chunk: the last paragraph break, else line break, else space."""
    for sep in ("\n\n", "\n", " "):
        i = buffer.rfind(sep, len(buffer) // 2)
        if i > 0:
            return i + len(sep)
    return len(buffer)


def stream_chunks(path: str, codec: str, chunk_chars: int | None = None, block: int = 1 << 20) -> Iterator[str]:
    """Decode a file block by block and yield text in chunks that end at a paragraph break.
    Memory stays at a few chunks whatever the file's size."""
    chunk_chars = chunk_chars or CHUNK_CHARS
    decoder = codecs.getincrementaldecoder(codec)("strict")
    buffer, consumed = "", 0
    with open(path, "rb") as f:
        while True:
            data = f.read(block)
            try:
                buffer += decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                raise ReadError(f"{path}: not valid {codec} (byte 0x{data[e.start]:02x} at offset {consumed + e.start}); "
                                f"pass --encoding (e.g. cp1258)") from None
            consumed += len(data)
            while len(buffer) >= chunk_chars:
                cut = _cut(buffer[:chunk_chars])
                yield buffer[:cut]
                buffer = buffer[cut:]
            if not data:
                break
    if buffer:
        yield buffer


STDIN_CAP = 256 * 1024 * 1024  # standard input is held whole: a larger report goes in a file


def read_bytes(path: str, what: str = "file", cap: int | None = None) -> bytes:
    """The bytes of a regular file, or one clear `ReadError`: a FIFO would block, a device such as
    /dev/zero never ends, a folder is no file. Every path kg reads goes through here."""
    p = Path(path)
    try:
        if p.is_dir():
            raise ReadError(f"{path}: is a folder, not a {what}")
        if p.exists() and not p.is_file():
            raise ReadError(f"{path}: not a regular file (a FIFO or a device?)")
        if cap is not None and p.stat().st_size > cap:
            raise ReadError(f"{path}: larger than {cap // (1024 * 1024)} MB")
        return p.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except PermissionError:
        raise ReadError(f"{path}: permission denied") from None
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None


def read_stdin(cap: int = STDIN_CAP) -> bytes:
    data = sys.stdin.buffer.read(cap + 1)
    if len(data) > cap:
        raise ReadError(f"standard input is larger than {cap // (1024 * 1024)} MB; save it to a file "
                        f"(large files are read in chunks)")
    return data


def read_report(path: str, encoding: str | None = None, *, stream_bytes: int = STREAM_BYTES) -> Report:
    """Read a report; a plain-text file larger than ``stream_bytes`` comes back as chunks."""
    if path != "-" and Path(path).suffix.lower() not in SUFFIXES - TEXT_SUFFIXES:
        try:
            size = os.stat(path).st_size if os.path.isfile(path) else 0
        except OSError:
            size = 0
        if size > stream_bytes:
            return _stream_report(path, encoding, size)
    if path == "-":
        data = read_stdin()
        warnings: list[str] = []
        text = decode_report(data, "standard input", encoding, warnings)
        return Report("-", text, hashlib.sha256(data).hexdigest(), warnings=warnings)
    data = read_bytes(path, "report (name the files, or use a command that takes folders)",
                      cap=MAX_FILE_BYTES.get(Path(path).suffix.lower()))
    warnings = []
    text = decode_report(data, path, encoding, warnings)
    return Report(path, text, hashlib.sha256(data).hexdigest(), warnings=warnings)


def _stream_report(path: str, encoding: str | None, size: int) -> Report:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            head = f.read(8192)
            digest.update(head)
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None
    codec = _text_encoding(head, path, encoding)
    return Report(path, None, digest.hexdigest(), chunks=lambda: stream_chunks(path, codec))


#: File names in a folder that describe the folder, not reports: skipped in folder scans (a file
#: named on the command line is always read).
NOT_REPORTS = frozenset({"readme", "sources", "license", "licence", "changelog", "contributing", "notice"})


def expand(paths: list[str], skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """Files as named; folders replaced by the reports inside them (recursively, sorted, links
    to folders not followed so a link loop cannot trap the walk). Every other file in a folder goes
    to ``skipped`` with its reason (README, SOURCES, LICENSE … describe the folder; other suffixes
    are not a format kg reads), so a caller can say what it left out; hidden files are not looked at."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for f in sorted(files):
                    if f.startswith("."):
                        continue
                    if Path(f).suffix.lower() not in SUFFIXES:
                        if skipped is not None:
                            skipped.append((str(Path(root) / f), "not a format kg reads"))
                        continue
                    if Path(f).stem.lower() in NOT_REPORTS:
                        if skipped is not None:
                            skipped.append((str(Path(root) / f), "describes the folder (README, SOURCES, LICENSE …), not a report"))
                        continue
                    out.append(str(Path(root) / f))  # read_report says what is wrong with odd ones
        else:
            out.append(path)
    return out


def skipped_lines(skipped: list[tuple[str, str]], show: int = 5) -> list[str]:
    """What a folder walk left out, for the user: each file named when there are few, else the
    first few and a count by suffix."""
    if not skipped:
        return []
    formats = [p for p, r in skipped if r == "not a format kg reads"]
    lines = [f"skipped {p}: {r}" for p, r in skipped if r != "not a format kg reads"]
    if len(formats) <= show:
        lines += [f"skipped {p}: not a format kg reads ({', '.join(sorted(SUFFIXES))})" for p in formats]
    else:
        counts: dict[str, int] = {}
        for p in formats:
            suffix = Path(p).suffix.lower() or "no suffix"
            counts[suffix] = counts.get(suffix, 0) + 1
        lines.append(f"skipped {len(formats)} files not in a format kg reads ("
                     + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
                     + f"), e.g. {formats[0]}")
    return lines
