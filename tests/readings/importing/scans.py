"""Scanned pages for the OCR tests, drawn here with Pillow (DejaVu Sans, from fonts-dejavu-core)
rather than committed as binaries: small pages at 150 dpi, so Tesseract reads each in about
a second."""

from __future__ import annotations

import io
import random

import pymupdf
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 150
# Half an A4 page at 150 dpi: 6 x 4 inches, with margins of half an inch.
WIDTH, HEIGHT = 900, 600
MARGIN = 75

FIRST = [
    "Seminar readings are very often scans of a",
    "chapter photocopied in a library, read again",
    "by students who want to compare the authors.",
]
SECOND = [
    "Each page is read by the machine and checked",
    "by the instructor before the class tags it.",
]


def page_image(
    paragraphs: list[list[str]],
    *,
    size: int = 24,
    width: int = WIDTH,
    height: int = HEIGHT,
    noise: float = 0.0,
    noisy: int = 0,
    seed: int = 1,
) -> Image.Image:
    """A grey page with the paragraphs' lines set in `size` pixels, a blank line between
    paragraphs; `noise` is the share of pixels turned to random greys, in paragraph `noisy`
    and after it (from 0: the whole page)."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, size)
    y = MARGIN
    top = 0
    for number, lines in enumerate(paragraphs):
        if number == noisy:
            top = y - size // 2
        for line in lines:
            draw.text((MARGIN, y), line, font=font, fill=0)
            y += round(size * 1.45)
        y += round(size * 0.9)
    if noise:
        rng = random.Random(seed)
        pixels = image.load()
        assert pixels is not None
        for _ in range(int(width * (height - top) * noise)):
            pixels[rng.randrange(width), rng.randrange(top, height)] = rng.randrange(256)
    return image


def encoded(image: Image.Image, format_: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_, dpi=(DPI, DPI), **options)
    return buffer.getvalue()


def tiff(pages: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:], dpi=(DPI, DPI))
    return buffer.getvalue()


def scanned_pdf(pages: list[Image.Image | str | None]) -> bytes:
    """A PDF whose pages are images (a scan, no text layer), or, for a string, a page with a
    text layer holding it, in the size the scans' type has (24 pixels at 150 dpi: 11 pt), or
    for None a blank page (no resources at all)."""
    document = pymupdf.open()
    for page in pages:
        target = document.new_page(width=WIDTH * 72 / DPI, height=HEIGHT * 72 / DPI)
        if page is None:
            continue
        if isinstance(page, str):
            target.insert_text((36, 60), page, fontsize=11)
        else:
            target.insert_image(target.rect, stream=encoded(page))
    return bytes(document.tobytes())


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares width x height pixels and holds none (a decompression bomb's head)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def many_frames_tiff(count: int) -> bytes:
    """A TIFF of `count` one-pixel pages, written by hand (Pillow takes minutes for 10,000):
    a chain of small frame directories that all share one byte of pixels."""
    import struct

    entries = [  # tag, type (3 short, 4 long), value
        (256, 3, 1), (257, 3, 1), (258, 3, 1), (259, 3, 1),
        (262, 3, 1), (273, 4, 8), (278, 3, 1), (279, 4, 1),
    ]  # fmt: skip
    size = 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 12) + b"\x80\x00\x00\x00")
    for index in range(count):
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            out += struct.pack("<HHI", tag, kind, 1) + struct.pack("<I", value)
        following = 12 + (index + 1) * size if index + 1 < count else 0
        out += struct.pack("<I", following)
    return bytes(out)
