"""Stage 1: read a report into text, or fail with one clear line.

Plain text (.txt, .md) in UTF-8 with or without BOM, UTF-16 with BOM, or any encoding named
with ``encoding=`` (cp1258 included); .docx by a streaming parse of its XML (python-docx builds
the whole tree: a zip bomb takes all the memory); .pdf with a text layer
through PDFium (pypdfium2: pypdf spaces out the glyphs of Vietnamese text from common
producers), without the running headers, footers and page numbers of its pages; .html through
the standard library's parser. A UTF-8 BOM is kept as U+FEFF so
offsets agree with any reader that decodes the file as UTF-8.
"""
from __future__ import annotations

import codecs
import hashlib
import html.parser
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .normalise import PAGE_NUMBER_WORDS

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf", ".html", ".htm"}


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


class _HTMLText(html.parser.HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.size = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "noscript"}:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "noscript"} and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
            self.size += len(data)


# Caps: a report is text, and no real one comes near these. A file over a cap is refused with a
# message that says so, before it is parsed (a zip bomb or a 3 GB page never reaches memory).
MAX_FILE_BYTES = {".docx": 64 << 20, ".pdf": 256 << 20, ".html": 128 << 20, ".htm": 128 << 20}
MAX_TEXT_CHARS = 64 << 20         # text taken out of a .docx, .pdf or .html
MAX_UNZIPPED = 256 << 20          # all members of a .docx, uncompressed
MAX_ZIP_RATIO = 100               # uncompressed / compressed, per member (real .docx XML: 5-20)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes, name: str) -> str:
    """The text of a .docx: word/document.xml parsed as a stream (iterparse), paragraphs as
    blank-line separated lines, table cells joined by " | ". The zip is checked first: its
    members' uncompressed size and compression ratio, so a zip bomb is refused unopened."""
    import xml.etree.ElementTree as ET
    import zipfile
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError(f"{name}: not a readable .docx file") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise ReadError(f"{name}: unzips to {total >> 20} MB, over the {MAX_UNZIPPED >> 20} MB a .docx may hold; refused")
    for i in infos:
        if i.file_size > 1 << 20 and i.file_size > MAX_ZIP_RATIO * max(1, i.compress_size):
            raise ReadError(f"{name}: {i.filename} is compressed {i.file_size // max(1, i.compress_size)}:1 "
                            f"(a zip bomb?); refused")
    if "word/document.xml" not in zf.namelist():
        raise ReadError(f"{name}: not a readable .docx file (no word/document.xml)")
    parts: list[str] = []
    size = 0
    cell: list[str] | None = None
    row: list[str] = []
    try:
        with zf.open("word/document.xml") as xml:
            head = xml.peek(2048)[:2048] if hasattr(xml, "peek") else b""
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ReadError(f"{name}: the .docx declares XML entities; refused")
            for event, el in ET.iterparse(xml, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _W + "tc":
                        cell = []
                    continue
                if tag == _W + "t" and el.text:
                    (cell if cell is not None else parts).append(el.text)
                    size += len(el.text)
                elif tag in (_W + "tab",):
                    (cell if cell is not None else parts).append("\t")
                elif tag in (_W + "br", _W + "cr"):
                    (cell if cell is not None else parts).append("\n")
                elif tag == _W + "p":
                    (cell if cell is not None else parts).append("\n" if cell is not None else "\n\n")
                elif tag == _W + "tc":
                    row.append("".join(cell or []).strip())
                    cell = None
                elif tag == _W + "tr":
                    parts.append(" | ".join(row) + "\n\n")
                    row = []
                if size > MAX_TEXT_CHARS:
                    raise ReadError(f"{name}: more than {MAX_TEXT_CHARS >> 20} M characters of text; refused")
                el.clear()  # the tree never grows: memory stays flat
    except ET.ParseError:
        raise ReadError(f"{name}: not a readable .docx file (broken XML)") from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ReadError(f"{name}: not a readable .docx file") from None
    return "".join(parts).strip("\n")


def _html(data: bytes, name: str, encoding: str | None) -> str:
    """Text of an HTML page, fed to the parser in pieces, with a cap on the text it yields."""
    text = _decode(data, name, encoding)
    p = _HTMLText()
    for i in range(0, len(text), 1 << 20):
        p.feed(text[i:i + (1 << 20)])
        if p.size > MAX_TEXT_CHARS:
            raise ReadError(f"{name}: more than {MAX_TEXT_CHARS >> 20} M characters of text; refused")
    p.close()
    return "".join(p.parts)


_PAGE_NUMBER_LINE = re.compile(PAGE_NUMBER_WORDS)
_DIGITS = re.compile(r"\d+")


def _running_lines(pages: list[list[str]], reach: int = 3) -> set[str]:
    """Keys (digits as #) of the lines that open or close most pages: running headers and footers
    ("11/25/26, 6:15 PM Báo cáo", "file:///… 1/3")."""
    counts: dict[str, int] = {}
    for lines in pages:
        edge = [ln for ln in lines if ln.strip()]
        for ln in {*edge[:reach], *edge[-reach:]}:
            key = _DIGITS.sub("#", " ".join(ln.split()))
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
        if _PAGE_NUMBER_LINE.fullmatch(ln) or _DIGITS.sub("#", " ".join(ln.split())) in running:
            keep[i] = ""
    return "\n".join(ln for ln in keep if ln.strip() or ln == "").strip("\n")


def _spaced_glyphs(text: str) -> bool:
    """A text layer read glyph by glyph ("Th ự c hi ệ n K ế t lu ậ n"): many one-letter words."""
    words = text.split()
    if len(words) < 50:
        return False
    single = sum(1 for w in words if len(w) == 1 and w.isalpha())
    return single > 0.2 * len(words)


def _pdf(data: bytes, name: str, warnings: list[str]) -> str:
    """The text layer of each page, pages joined by a line break and a form feed (a page break that
    normalise reads as a space inside a sentence), running headers, footers and page numbers left
    out so they never split a citation."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception:
        raise ReadError(f"{name}: not a readable PDF file") from None
    try:
        raw = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            raw.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
            if sum(map(len, raw)) > MAX_TEXT_CHARS:
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
    """Bytes of a report → its text, by the file's suffix; what reading lost goes to ``warnings``."""
    warnings = [] if warnings is None else warnings
    if not data:
        raise ReadError(f"{name}: empty file")
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        text = _docx(data, name)
    elif suffix == ".pdf":
        text = _pdf(data, name, warnings)
    elif suffix in {".html", ".htm"}:
        text = _html(data, name, encoding)
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
    UTF-8 (a UTF-8 BOM stays in the text as U+FEFF); NUL bytes without a BOM mean binary."""
    if encoding:
        check_encoding(encoding)
        return encoding
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    if b"\x00" in head[:8192]:
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


def expand(paths: list[str], skipped: list[str] | None = None) -> list[str]:
    """Files as named; folders replaced by the reports inside them (recursively, sorted, links
    to folders not followed so a link loop cannot trap the walk). README, SOURCES, LICENSE …
    files in a folder are not reports: they go to ``skipped``."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for f in sorted(files):
                    if Path(f).suffix.lower() in SUFFIXES and not f.startswith("."):
                        if Path(f).stem.lower() in NOT_REPORTS:
                            if skipped is not None:
                                skipped.append(str(Path(root) / f))
                            continue
                        out.append(str(Path(root) / f))  # read_report says what is wrong with odd ones
        else:
            out.append(path)
    return out
