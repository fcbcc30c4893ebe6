"""Coverage-guided fuzzing of the extractor with atheris (see fuzz/README.md).

    pip install atheris
    .venv/bin/python fuzz/fuzz_extract.py -max_total_time=600 fuzz/corpus

The target decodes the bytes as UTF-8 (replacing bad bytes) and checks what kg promises:
extract() never raises, every offset is inside the text and every citation's text is the
text at its offsets.
"""
import sys

import kg


def TestOneInput(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    ex = kg.extract(text)
    for c in ex.citations:
        if not (0 <= c.start <= c.end <= len(text)) or text[c.start:c.end] != c.text:
            raise AssertionError(f"bad offsets {c.start}-{c.end} for {c.text!r}")


def main() -> None:
    import atheris  # only needed to fuzz; the tests call TestOneInput directly
    with atheris.instrument_imports():
        import kg.extract  # noqa: F401
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
