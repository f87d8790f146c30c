#!/usr/bin/env python3
"""Captures a learner might bring that are broken in one way each, made from
an engine export (finwave run --pcap): truncated, corrupt, not TCP, starting
mid-connection, cut by a small snapshot length, with a time going backwards.
Usage: make_bad_captures.py FINWAVE OUTDIR"""
import os
import struct
import subprocess
import sys

finwave, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
good = os.path.join(out, "four-way.pcap")
subprocess.run([finwave, "run", "four-way-close", "--pcap", good], check=True, stdout=subprocess.DEVNULL)
data = open(good, "rb").read()
header, body = data[:24], data[24:]

def records(b):
    recs, i = [], 0
    while i + 16 <= len(b):
        sec, usec, incl, orig = struct.unpack("<IIII", b[i:i + 16])
        recs.append([sec, usec, incl, orig, b[i + 16:i + 16 + incl]])
        i += 16 + incl
    return recs

def write(name, hdr, recs):
    with open(os.path.join(out, name), "wb") as f:
        f.write(hdr)
        for sec, usec, incl, orig, pkt in recs:
            f.write(struct.pack("<IIII", sec, usec, incl, orig) + pkt)

recs = records(body)
# Cut in the middle of the fifth packet's bytes.
open(os.path.join(out, "truncated.pcap"), "wb").write(data[:24 + sum(16 + r[2] for r in recs[:4]) + 16 + 10])
# A pcap header and then noise.
open(os.path.join(out, "corrupt.pcap"), "wb").write(header + bytes([0xff] * 16) + b"\x00" * 40)
# Random bytes that are neither a capture nor text.
open(os.path.join(out, "noise.bin"), "wb").write(bytes((i * 37 + 11) % 256 for i in range(512)))
# UDP only: the same frames with the IP protocol set to 17.
udp = []
for sec, usec, incl, orig, pkt in recs:
    p = bytearray(pkt)
    p[14 + 9] = 17
    udp.append([sec, usec, incl, orig, bytes(p)])
write("udp-only.pcap", header, udp)
# The capture starts at the client's FIN: no handshake, no data.
fin_at = next(i for i, r in enumerate(recs) if r[4][14 + 20 + 13] & 0x01)
write("mid-connection.pcap", header, recs[fin_at:])
# A snapshot length of 40 bytes: the TCP header is cut off.
snap = bytearray(header)
snap[16:20] = struct.pack("<I", 40)
write("snaplen-40.pcap", bytes(snap), [[s, u, min(i, 40), o, p[:40]] for s, u, i, o, p in recs])
# A snapshot length of 54 bytes: the headers are whole, payloads cut.
snap[16:20] = struct.pack("<I", 54)
write("snaplen-54.pcap", bytes(snap), [[s, u, min(i, 54), o, p[:54]] for s, u, i, o, p in recs])
# The fifth and sixth packets' times swapped: the sixth goes back in time.
back = [list(r) for r in recs]
i = next(k for k in range(4, len(back) - 1) if back[k][:2] != back[k + 1][:2])
back[i][:2], back[i + 1][:2] = back[i + 1][:2], back[i][:2]
write("time-backwards.pcap", header, back)
