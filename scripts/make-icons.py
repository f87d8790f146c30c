#!/usr/bin/env python3
"""Draws FinWave's app icons (PNG) for the web manifest, with nothing but the
standard library: a connection's ladder as the app draws it, the client's
time line (blue) and the server's (orange) with a FIN crossing to the server
and its ACK coming back.

    scripts/make-icons.py OUTPUT_DIR

Writes finwave-192.png, finwave-512.png (rounded, for "any") and
finwave-maskable-512.png (full bleed, the drawing inside the safe zone that
launchers may crop to a circle).
"""
import math
import pathlib
import struct
import sys
import zlib

# The app's colours (web/ui.hpp).
BACKGROUND = (0x1B, 0x1E, 0x23)
CLIENT = (0x5A, 0xA9, 0xE6)
SERVER = (0xF4, 0xA2, 0x59)
ACCENT = (0x88, 0xC0, 0xD0)
TEXT = (0xDC, 0xE1, 0xEA)


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def rounded_rect_distance(px, py, size, radius):
    # Signed distance to a square of `size` with corners of `radius`.
    half = size / 2
    qx = abs(px - half) - (half - radius)
    qy = abs(py - half) - (half - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def arrow(strokes, ax, ay, bx, by, width, colour, head):
    strokes.append(((ax, ay, bx, by), width, colour))
    angle = math.atan2(by - ay, bx - ax)
    for turn in (math.pi * 0.8, -math.pi * 0.8):
        strokes.append(((bx, by, bx + head * math.cos(angle + turn), by + head * math.sin(angle + turn)), width, colour))


def drawing(scale, offset):
    """The strokes in unit coordinates (0..1) mapped into [offset, offset+scale]."""
    def p(x, y):
        return offset + x * scale, offset + y * scale
    strokes = []
    w_line = 0.045 * scale
    w_arrow = 0.04 * scale
    left, right = 0.28, 0.72
    strokes.append(((*p(left, 0.16), *p(left, 0.84)), w_line, CLIENT))
    strokes.append(((*p(right, 0.16), *p(right, 0.84)), w_line, SERVER))
    arrow(strokes, *p(left + 0.05, 0.26), *p(right - 0.06, 0.46), w_arrow, TEXT, 0.11 * scale)
    arrow(strokes, *p(right - 0.05, 0.52), *p(left + 0.06, 0.72), w_arrow, ACCENT, 0.11 * scale)
    return strokes


def render(size, maskable):
    rows = []
    radius = 0.0 if maskable else size * 0.22
    # Maskable icons may be cut to a circle of 80% of the size: keep the
    # drawing well inside it.
    scale, offset = (size * 0.62, size * 0.19) if maskable else (size * 0.9, size * 0.05)
    strokes = drawing(scale, offset)
    for y in range(size):
        row = bytearray([0])  # PNG filter: none
        py = y + 0.5
        for x in range(size):
            px = x + 0.5
            edge = rounded_rect_distance(px, py, size, radius) if radius > 0 else -1.0
            alpha_bg = max(0.0, min(1.0, 0.5 - edge))
            r, g, b = BACKGROUND
            for (ax, ay, bx, by), width, colour in strokes:
                d = segment_distance(px, py, ax, ay, bx, by) - width / 2
                cover = max(0.0, min(1.0, 0.5 - d))
                if cover > 0:
                    r = r + (colour[0] - r) * cover
                    g = g + (colour[1] - g) * cover
                    b = b + (colour[2] - b) * cover
            row += bytes((round(r), round(g), round(b), round(255 * alpha_bg)))
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, pixels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b"")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-icons.py OUTPUT_DIR")
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("finwave-192.png", 192, False), ("finwave-512.png", 512, False),
                                 ("finwave-maskable-512.png", 512, True)):
        (out / name).write_bytes(png(size, render(size, maskable)))
    print(f"  icons: {', '.join(p.name for p in sorted(out.glob('*.png')))}")


if __name__ == "__main__":
    main()
