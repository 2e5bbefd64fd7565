"""OCR of scanned readings (issue 22): image files and PDF pages without a text layer read by
Tesseract, laid out by the PDF reader's rules, under limits."""

from __future__ import annotations

import io
import os
import time
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.confidence import uncertain_positions
from readings.importing.limits import LIMITS, Budget
from readings.importing.readers.ocr import needs_ocr
from readings.importing.readers.ocr.engine import PageText, TextLine, Word, engine, tessdata
from readings.importing.readers.ocr.layout import page_lines, resolve_calls, settle_sizes
from readings.importing.readers.pdf import arrange
from readings.importing.readers.pdf.lines import NOTE_CLOSE, PENDING
from tests.readings.importing.builders import encrypted_pdf, text_pdf
from tests.readings.importing.scans import (
    FIRST,
    SECOND,
    encoded,
    many_frames_tiff,
    page_image,
    png_header,
    scanned_pdf,
    tiff,
)

FIRST_TEXT = " ".join(FIRST)
SECOND_TEXT = " ".join(SECOND)


def rejection(filename: str, data: bytes, budget: Budget | None = None) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_document(filename=filename, data=data, budget=budget)
    return caught.value.message


# Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("scan.png", encoded(page_image([FIRST, SECOND]))),
        ("scan.jpg", encoded(page_image([FIRST, SECOND]).convert("RGB"), "JPEG", quality=85)),
        ("scan.tiff", tiff([page_image([FIRST, SECOND])])),
    ],
    ids=["png", "jpeg", "tiff"],
)
def test_a_scanned_page_comes_back_as_its_paragraphs(filename: str, data: bytes) -> None:
    raw = read_document(filename=filename, data=data)
    assert raw.text == f"{FIRST_TEXT}\n\n{SECOND_TEXT}"
    assert raw.format == "image"
    assert raw.ocr == engine() and raw.ocr.startswith("Tesseract 5.")
    assert raw.uncertain == ()


def test_every_page_of_a_multipage_tiff_is_read_in_order_with_progress() -> None:
    # The first page ends its paragraph short of the measure; the second page's runs on.
    pages = [[SECOND], [FIRST[:2]], [FIRST[2:]]]
    data = tiff([page_image(page) for page in pages])
    seen: list[tuple[int, int]] = []
    raw = read_document(filename="scan.tif", data=data, progress=lambda n, m: seen.append((n, m)))
    assert raw.text == f"{SECOND_TEXT}\n\n{FIRST_TEXT}"
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_mixed_pdf_keeps_its_text_layer_page_verbatim_and_reads_the_scanned_one() -> None:
    layer = "A text layer line: kept as it is, zqxj 12345."
    data = scanned_pdf([layer, page_image([SECOND])])
    seen: list[tuple[int, int]] = []
    raw = read_document(filename="mixed.pdf", data=data, progress=lambda n, m: seen.append((n, m)))
    assert raw.text == f"{layer}\n\n{SECOND_TEXT}"
    assert raw.ocr == engine()
    assert raw.warnings == (
        "Page 2 has no text layer and was read by OCR: check the passages marked as read with "
        "low confidence.",
    )
    assert seen == [(1, 2), (2, 2)]


def test_a_pdf_with_a_text_layer_is_not_read_by_ocr() -> None:
    raw = read_document(filename="a.pdf", data=text_pdf([["Some text."]]))
    assert raw.text == "Some text." and raw.ocr == ""


def test_a_crooked_scan_is_read_straight() -> None:
    image = page_image([FIRST, SECOND]).rotate(1.0, fillcolor=255, expand=False)
    raw = read_document(filename="scan.png", data=encoded(image))
    assert raw.text == f"{FIRST_TEXT}\n\n{SECOND_TEXT}"


def test_a_blank_image_is_refused_saying_no_text_was_found() -> None:
    assert rejection("blank.png", encoded(page_image([]))) == (
        "OCR found no text in the image: it looks blank, or it is a picture rather than a page "
        "of text. Check that you chose the right file, or scan the pages again (300 dpi, black "
        "on white)."
    )


# Confidence -----------------------------------------------------------------------------------


def test_a_paragraph_read_with_low_confidence_is_marked_and_a_clean_one_is_not() -> None:
    # Specks over the second paragraph only: Tesseract is unsure of its words (about 70-75).
    image = page_image([FIRST, SECOND], noise=0.04, noisy=1, seed=1)
    raw = read_document(filename="scan.png", data=encoded(image))
    # Specks read as "~" beside the margin are left out: the paragraphs stay whole.
    first, second = raw.text.split("\n\n")
    assert first == FIRST_TEXT and second.startswith("Each page is") and "~" not in second
    assert len(raw.uncertain) == 1
    assert "instructor" in raw.uncertain[0] and "library" not in raw.uncertain[0]
    split = split_text(raw.text)
    marked = uncertain_positions(split.passages, raw.uncertain)
    assert [split.passages[k].text.startswith("Seminar") for k in sorted(marked)] == [False]


def _line(words: list[tuple[str, float]], y: int, *, paragraph: int = 1) -> TextLine:
    boxes, x = [], 100
    for text, confidence in words:
        boxes.append(Word(text, (x, y, x + 20 * len(text), y + 30), confidence))
        x += 20 * len(text) + 15
    return TextLine(boxes, ((100, y + 24), (x, y + 24)), 30.0, 7.0, 1, paragraph)


def test_a_block_is_uncertain_by_the_mean_confidence_of_its_words() -> None:
    sure = [("Well", 96.0), ("read", 95.0), ("words.", 97.0)]
    unsure = [("Tbe", 40.0), ("qnick", 55.0), ("fox.", 96.0)]  # mean 63.7
    page = PageText([_line(sure, 100), _line(unsure, 200, paragraph=2)])
    lines = page_lines(1, page, 1200, 1600, 150)
    settle_sizes([lines])
    text, _, _, uncertain = arrange([lines], "en", Budget())
    assert text == "Well read words.\n\nTbe qnick fox."
    assert uncertain == ["Tbe qnick fox."]


def test_specks_read_as_punctuation_are_left_out_but_words_and_dashes_are_kept() -> None:
    words = [("~", 10.0), ("Each", 94.0), ("pxge", 20.0), ("—", 90.0), ("so", 96.0), (":", 12.0)]
    page = PageText([_line(words, 100)])
    (line,) = page_lines(1, page, 1200, 1600, 150).lines
    assert line.text == "Each pxge — so"
    assert round(line.x0, 1) == round((100 + 20 + 15) * 72 / 150, 1)  # where "Each" starts


def test_a_passage_within_or_around_an_uncertain_block_is_marked() -> None:
    split = split_text(
        "A clear first paragraph that the scanner read without any trouble at all.\n\n"
        "Tbe qnick brovvn fox jnmps ovcr the lazy dog near the riverbank today."
    )
    uncertain = ("Tbe qnick brovvn fox jnmps ovcr the lazy dog near the riverbank today.",)
    assert uncertain_positions(split.passages, uncertain) == {1}
    assert uncertain_positions(split.passages, ()) == set()


def test_the_page_is_turned_straight_before_its_lines_are_measured() -> None:
    # Baselines falling 2 % to the right: a long line, then two columns on one baseline.
    def line(text: str, x: int, y: int, width: int) -> TextLine:
        word = Word(text, (x, y, x + width, y + 30), 95)
        fall = round(0.02 * width)
        return TextLine([word], ((x, y + 24), (x + width, y + 24 + fall)), 30, 7, 1, 1)

    crooked = PageText([line("Long", 100, 100, 600), line("Left", 100, 300, 200)])
    crooked.lines.append(line("Right", 700, 312, 200))
    long, left, right = page_lines(1, crooked, 1000, 1000, 144).lines
    # Level again: the two columns' lines at one height, as in the page that was scanned.
    assert abs(left.y0 - right.y0) < 0.2
    assert round(long.y1 - long.y0, 1) == round(left.y1 - left.y0, 1) == 17.5
    assert long.size == 15.0


# Limits and hostile files ---------------------------------------------------------------------


def test_a_tiff_of_ten_thousand_pages_is_refused_fast() -> None:
    started = time.monotonic()
    assert rejection("book.tiff", many_frames_tiff(10_000)) == (
        "The image has more than 300 pages to read by OCR, more than one import may read. "
        "Split it into smaller files (a chapter each, say) and upload them one by one."
    )
    assert time.monotonic() - started < 2


def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded() -> None:
    started = time.monotonic()
    assert rejection("poster.png", png_header(10_000, 8_000)) == (
        "Page 1 of the image is 10,000 × 8,000 pixels (80 megapixels); at most 60 megapixels a "
        "page can be read by OCR, which is an A4 page scanned at 600 dpi. Scan it again at 300 "
        "dpi and upload it again."
    )
    assert time.monotonic() - started < 1


def test_a_decompression_bomb_is_refused_unopened() -> None:
    started = time.monotonic()
    assert rejection("bomb.png", png_header(100_000, 100_000)) == (
        "The image declares far more pixels than a scanned page has (a decompression bomb?), so "
        "it was not opened. Scan the pages again at 300 dpi and upload them."
    )
    assert time.monotonic() - started < 1


def test_a_truncated_png_is_refused_as_damaged() -> None:
    data = encoded(page_image([FIRST, SECOND]))
    assert rejection("scan.png", data[: len(data) // 2]) == (
        "The image is damaged: it ends before its last row of pixels (an interrupted download "
        "or copy?). Scan or export it again and upload it again."
    )


NOT_AN_IMAGE = (
    "The file is not an image this app can read (PNG, JPEG or TIFF), or it is damaged. Scan "
    "the pages again, or export them as PDF, and upload that."
)


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 100),
        ("scan.jpg", b"\xff\xd8\xff" + b"\x00" * 50),
        ("scan.tiff", b"II*\x00" + b"\xff" * 40),
        ("scan.png", b"GIF89a" + b"\x00" * 50),  # an image, but not one we read
    ],
    ids=["png", "jpeg", "tiff", "gif"],
)
def test_a_file_that_is_not_a_readable_image_is_refused(filename: str, data: bytes) -> None:
    assert rejection(filename, data) == NOT_AN_IMAGE


def test_an_image_extension_on_a_pdf_is_refused_naming_what_it_is() -> None:
    assert rejection("scan.png", text_pdf([["Some text."]])) == (
        "The file ends in “.png” but its content is a PDF document. Give it the extension that "
        "matches its content, or export it again, and upload it again."
    )


def test_a_page_that_takes_too_long_to_read_is_refused() -> None:
    budget = Budget(replace(LIMITS, ocr_page_seconds=0.001))
    message = rejection("scan.png", encoded(page_image([FIRST, SECOND, FIRST])), budget)
    assert message.startswith("Page 1 took longer than 0.001 s to read by OCR, so nothing was")


def test_a_file_whose_ocr_time_is_used_up_is_refused() -> None:
    budget = Budget(replace(LIMITS, ocr_seconds=0.0))
    assert rejection("scan.png", encoded(page_image([FIRST])), budget) == (
        "The image took longer than 0 s to read by OCR (stopped before page 1), so nothing was "
        "imported. Split it into smaller files and import them one by one."
    )


def test_too_many_scanned_pages_in_a_pdf_are_refused() -> None:
    budget = Budget(replace(LIMITS, max_ocr_pages=1))
    data = scanned_pdf([page_image([FIRST]), page_image([SECOND])])
    assert rejection("scan.pdf", data, budget) == (
        "The PDF has more than 1 pages to read by OCR, more than one import may read. Split it "
        "into smaller files (a chapter each, say) and upload them one by one."
    )


# needs_ocr --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("scan.png", encoded(page_image([FIRST])), True),
        ("scan.pdf", scanned_pdf([page_image([FIRST])]), True),
        ("mixed.pdf", scanned_pdf(["A text layer.", page_image([FIRST])]), True),
        ("text.pdf", text_pdf([["Some text."], ["More."]]), False),
        ("blank-page.pdf", scanned_pdf(["Some text.", None]), False),
        ("notes.txt", b"Plain text.", False),
        ("scan.png", b"Plain text, not an image.", False),
        ("broken.pdf", b"%PDF-1.4\nnot a pdf body", False),
    ],
    ids=["png", "scanned-pdf", "mixed-pdf", "text-pdf", "blank-page", "txt", "fake-png", "broken"],
)
def test_needs_ocr_says_which_uploads_will_be_read_by_ocr(
    name: str, data: bytes, expected: bool
) -> None:
    assert needs_ocr(name, data) is expected


def test_needs_ocr_is_cheap_on_a_large_scan() -> None:
    # 20 MB: ten pages each holding 2 MB of incompressible image data, never decoded here.
    document = pymupdf.open()
    for _ in range(10):
        noise = Image.frombytes("L", (1600, 1300), os.urandom(1600 * 1300))
        page = document.new_page()
        page.insert_image(page.rect, stream=encoded(noise))
    data = bytes(document.tobytes())
    assert len(data) > 15 * 1024 * 1024
    started = time.monotonic()
    assert needs_ocr("big.pdf", data) is True
    assert time.monotonic() - started < 0.5


def test_needs_ocr_leaves_what_the_pdf_reader_refuses_to_it() -> None:
    locked = encrypted_pdf(scanned_pdf([page_image([FIRST])]), user_password="secret")
    assert needs_ocr("locked.pdf", locked) is False
    document = pymupdf.open()
    for _ in range(LIMITS.max_pages + 1):
        document.new_page()
    assert needs_ocr("long.pdf", bytes(document.tobytes())) is False


# Images as scanners and phones save them ------------------------------------------------------


def test_an_image_that_states_no_resolution_is_taken_as_a_page_wide_scan() -> None:
    buffer = io.BytesIO()
    page_image([FIRST, SECOND]).save(buffer, format="PNG")  # no pHYs chunk: no dpi
    raw = read_document(filename="scan.png", data=buffer.getvalue())
    assert raw.text == f"{FIRST_TEXT}\n\n{SECOND_TEXT}"


def test_a_transparent_image_is_read_on_white() -> None:
    grey = page_image([FIRST, SECOND])
    # Black text on a fully transparent background (black underneath): read as on paper.
    rgba = Image.new("RGBA", grey.size, (0, 0, 0, 0))
    rgba.putalpha(grey.point(lambda value: 255 - value))
    raw = read_document(filename="scan.png", data=encoded(rgba))
    assert raw.text == f"{FIRST_TEXT}\n\n{SECOND_TEXT}"


def test_a_sixteen_bit_grey_scan_is_read() -> None:
    deep = page_image([FIRST, SECOND]).point(lambda value: value * 257, mode="I").convert("I;16")
    assert deep.mode == "I;16"
    raw = read_document(filename="scan.png", data=encoded(deep))
    assert raw.text == f"{FIRST_TEXT}\n\n{SECOND_TEXT}"


def test_a_missing_language_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTERPOINT_OCR_LANGUAGES", "eng+xyz")
    assert rejection("scan.png", encoded(page_image([FIRST]))) == (
        "This server cannot read scanned pages: Tesseract's language data (eng+xyz) is not "
        "installed. Ask the administrator to install the Debian packages tesseract-ocr and "
        "tesseract-ocr-eng (the README's install command does), or upload a file with a text "
        "layer."
    )


def test_the_language_data_is_looked_for_in_tessdata_prefix_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "xyz.traineddata").write_bytes(b"")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert tessdata("xyz") == str(tmp_path)
    assert tessdata("eng") is not None and tessdata("eng") != str(tmp_path)


# Note calls -----------------------------------------------------------------------------------


def _word(text: str, x: int, *, raised: str = "", tall: int = 20, base: int = 124) -> Word:
    """A word on the baseline `base` (row height 40), each letter 20 pixels wide; `raised`
    characters follow it set high: their bottom 16 pixels above the baseline, `tall` high."""
    symbols = [(c, (x + 20 * k, base - 30, x + 20 * k + 18, base)) for k, c in enumerate(text)]
    end, top = x + 20 * len(text), base - 16
    symbols += [
        (c, (end + 12 * k, top - tall, end + 12 * k + 10, top)) for k, c in enumerate(raised)
    ]
    return Word(text + raised, (x, base - 40, end + 12 * len(raised), base), 95.0, symbols)


def _page(words: list[Word]) -> PageText:
    return PageText([TextLine(words, ((100, 124), (1000, 124)), 40.0, 9.0, 1, 1)])


def test_a_small_raised_number_after_a_word_is_a_note_call() -> None:
    page = _page([_word("power.", 100), _word("Then", 300, raised="3"), _word("so", 500)])
    (line,) = page_lines(1, page, 1200, 1600, 150).lines
    assert line.calls == ["3"]
    assert line.text == f"power. Then{PENDING}3{NOTE_CLOSE} so"


def test_a_closing_quote_sits_as_high_but_is_no_call() -> None:
    page = _page([_word("said,", 100, raised="”", tall=10), _word("again", 300)])
    (line,) = page_lines(1, page, 1200, 1600, 150).lines
    assert line.calls == [] and line.text == "said,” again"


def test_a_misread_call_takes_the_label_of_the_pages_note_no_call_has() -> None:
    page = _page([_word("one", 100, raised="1"), _word("two", 300, raised="!"), _word("x", 500)])
    second = [_word("three", 100, raised="*", base=224)]
    page.lines.append(TextLine(second, ((100, 224), (900, 224)), 40, 9, 1, 1))
    lines = page_lines(1, page, 1200, 1600, 150)
    assert [line.calls for line in lines.lines] == [["1", "?"], ["*"]]
    resolve_calls(lines, ["1", "2", "3"])
    assert [line.calls for line in lines.lines] == [["1", "2"], ["3"]]
    assert lines.lines[0].text == f"one{PENDING}1{NOTE_CLOSE} two{PENDING}2{NOTE_CLOSE} x"
    # With no note left for it, a misread call is dropped rather than shown as "?".
    lone = page_lines(1, _page([_word("four", 100, raised="!")]), 1200, 1600, 150)
    resolve_calls(lone, [])
    assert lone.lines[0].text == "four" and lone.lines[0].calls == []


# Blank pages and inline images ------------------------------------------------------------------


def test_blank_pages_are_told_without_drawing_them() -> None:
    # Drawn at 300 dpi for OCR, 1,500 blank pages would take a minute; the default budget
    # (2 s) would refuse the file.
    raw = read_document(filename="a.pdf", data=text_pdf([["Some text."]] + [[]] * 1500))
    assert raw.text == "Some text." and raw.ocr == ""
    assert raw.warnings[0].startswith("1500 pages (2, 3, 4, 5, 6, …) have no text")


def test_a_page_whose_scan_is_an_inline_image_is_read() -> None:
    image = page_image([SECOND])
    document = pymupdf.open()
    page = document.new_page(width=image.width * 72 / 150, height=image.height * 72 / 150)
    stream = document.get_new_xref()
    document.update_object(stream, "<<>>")
    drawing = (
        f"q {page.rect.width} 0 0 {page.rect.height} 0 0 cm "
        f"BI /W {image.width} /H {image.height} /BPC 8 /CS /G ID "
    ).encode()
    document.update_stream(stream, drawing + image.tobytes() + b" EI Q")
    document.xref_set_key(page.xref, "Contents", f"{stream} 0 R")
    raw = read_document(filename="inline.pdf", data=bytes(document.tobytes()))
    assert raw.text == SECOND_TEXT and raw.ocr == engine()
