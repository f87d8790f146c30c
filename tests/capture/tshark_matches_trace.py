#!/usr/bin/env python3
"""Every built-in scenario's capture, read back by Wireshark's tshark.

For every built-in scenario (and the scenario files given with --extra), in
both profiles, at both capture points, over IPv4 (and IPv6 in the linux
profile), `finwave run --trace jsonl --pcap` writes the trace and the capture
from one run; tshark reads the capture and must show, packet for packet and
in the same order, the segments that host sent (lost ones included) and the
ones delivered to it, with the trace's flags, relative sequence and
acknowledgment numbers, payload lengths, times, addresses and ports, valid IP
and TCP checksums, and nothing malformed. Every packet's raw numbers must
also agree with its connection's ISN as the capture shows it. For the
built-ins, tshark's relative numbers must be the trace's for every packet;
in the scenario files, which inject old SYNs into live connections and
segments before the peer's SYN, tshark counts some packets from another base
than the ISN (a new stream on a SYN): those are checked by raw numbers only,
and listed.

    tshark_matches_trace.py FINWAVE [--extra FILE...] [--only NAME...]
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

# finwave's capture addresses (capture/include/finwave/capture.hpp).
HOSTS = {
    "v4": {"client": ("10.77.0.1", 40000), "server": ("10.77.0.2", 8000)},
    "v6": {"client": ("fd00:77::1", 40000), "server": ("fd00:77::2", 8000)},
}
# tshark's expert severities (epan/proto.h): PI_NOTE 0x400000, PI_WARN 0x600000, PI_ERROR 0x800000.
PI_ERROR = 0x800000
# TCP header bits to the trace's letters, in the trace's order (S F R P A).
BITS = [("S", 0x02), ("F", 0x01), ("R", 0x04), ("P", 0x08), ("A", 0x10)]
FIELDS = [
    "frame.time_epoch", "frame.time_relative", "tcp.stream", "tcp.flags", "tcp.seq", "tcp.seq_raw", "tcp.ack", "tcp.ack_raw", "tcp.len",
    "ip.src", "ipv6.src", "tcp.srcport", "tcp.dstport", "tcp.checksum.status", "ip.checksum.status",
    "_ws.expert.severity", "_ws.expert.message", "_ws.malformed",
]


def letters(flags_hex):
    v = int(flags_hex, 16)
    return "".join(name for name, bit in BITS if v & bit)


def micros(seconds_text):
    return int(Decimal(seconds_text) * 1000000)


def expected_frames(trace, at):
    """The segments tcpdump on `at` records: sent by it (not injected), delivered to it."""
    out = []
    for e in trace:
        if e.get("side") != at:
            continue
        if e["kind"] == "send" and not e.get("injected"):
            out.append(dict(e, sender=at))
        elif e["kind"] == "deliver":
            out.append(dict(e, sender="server" if at == "client" else "client"))
    return out


def read_capture(path):
    cmd = ["tshark", "-r", path, "-n", "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
           "-o", "tcp.relative_sequence_numbers:TRUE", "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=;"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None, f"tshark failed ({r.returncode}): {r.stderr.strip()}"
    rows = []
    for line in r.stdout.splitlines():
        values = line.split("\t")
        values += [""] * (len(FIELDS) - len(values))
        rows.append(dict(zip(FIELDS, values)))
    return rows, None


def compare(case, trace, rows, at, ip, strict):
    """Returns the differences, and how many packets tshark numbered from another
    base than the ISN. `strict`: tshark's relative numbers must be the trace's
    for every packet, whatever tshark's base."""
    problems = []
    want = expected_frames(trace, at)
    if len(rows) != len(want):
        problems.append(f"{case}: tshark reads {len(rows)} packets, the trace has {len(want)} at the {at}")
    first_t = want[0]["t_us"] if want else 0
    # The ISN of each (sender, connection), as the first of its packets in the
    # capture implies it: every later packet's raw numbers must agree with it.
    isn = {}
    # tshark counts relative numbers from a direction's first packet in its
    # stream, and opens a new stream on a SYN in a connection it has seen
    # (an old duplicate SYN). Where that packet is the connection's own SYN,
    # its numbers are the engine's; elsewhere tshark's base is not the ISN.
    first_in_stream = {}
    conn_stream = {}
    rebased = 0
    for i, (e, p) in enumerate(zip(want, rows), start=1):
        where = f"{case}: packet {i} (trace #{e['seg']} {e['kind']} at {e['t_us']} us)"

        def differ(what, trace_value, tshark_value):
            problems.append(f"{where}: {what}: trace {trace_value!r}, tshark {tshark_value!r}")

        got_flags = letters(p["tcp.flags"]) if p["tcp.flags"] else "?"
        if got_flags != e["flags"]:
            differ("flags", e["flags"], got_flags)
        conn = e.get("conn", 1)
        peer = "server" if e["sender"] == "client" else "client"
        stream = p["tcp.stream"]
        first_in_stream.setdefault((stream, e["sender"]), e["flags"])
        conn_stream.setdefault(conn, stream)
        # A reset answered for no connection carries sequence number 0 on the
        # wire, and the trace shows it so: no relative number to compare.
        raw_zero_rst = "R" in e["flags"] and p["tcp.seq_raw"] == "0"
        if not raw_zero_rst:
            base = isn.setdefault((e["sender"], conn), (int(p["tcp.seq_raw"]) - e["seq"]) % 2**32)
            if (int(p["tcp.seq_raw"]) - base) % 2**32 != e["seq"]:
                differ("seq from the ISN (raw)", e["seq"], (int(p["tcp.seq_raw"]) - base) % 2**32)
        if "A" in e["flags"] and (peer, conn) in isn:
            got = (int(p["tcp.ack_raw"]) - isn[(peer, conn)]) % 2**32
            if got != e["ack"]:
                differ("ack from the peer's ISN (raw)", e["ack"], got)
        anchored = stream == conn_stream[conn] and "S" in first_in_stream[(stream, e["sender"])]
        peer_anchored = "S" in first_in_stream.get((stream, peer), "S")
        if not strict and not (anchored and peer_anchored):
            rebased += 1
        else:
            if not raw_zero_rst and p["tcp.seq"] != str(e["seq"]):
                differ("relative seq", e["seq"], p["tcp.seq"])
            if "A" in e["flags"] and p["tcp.ack"] != str(e["ack"]):
                differ("relative ack", e["ack"], p["tcp.ack"])
        if p["tcp.len"] != str(e["len"]):
            differ("length", e["len"], p["tcp.len"])
        if micros(p["frame.time_epoch"]) != e["t_us"]:
            differ("time (us)", e["t_us"], p["frame.time_epoch"])
        if micros(p["frame.time_relative"]) != e["t_us"] - first_t:
            differ("time from the first packet (us)", e["t_us"] - first_t, p["frame.time_relative"])
        src_addr, src_port = HOSTS[ip][e["sender"]]
        dst_port = HOSTS[ip]["server" if e["sender"] == "client" else "client"][1]
        got_src = p["ip.src"] if ip == "v4" else p["ipv6.src"]
        if got_src != src_addr:
            differ("source address", src_addr, got_src)
        if (p["tcp.srcport"], p["tcp.dstport"]) != (str(src_port), str(dst_port)):
            differ("ports", (src_port, dst_port), (p["tcp.srcport"], p["tcp.dstport"]))
        # Checksum status 1 is "Good" (0 Bad, 2 Unverified).
        if p["tcp.checksum.status"] != "1":
            differ("TCP checksum status", "1 (good)", p["tcp.checksum.status"])
        if ip == "v4" and p["ip.checksum.status"] != "1":
            differ("IPv4 header checksum status", "1 (good)", p["ip.checksum.status"])
        if p["_ws.malformed"]:
            problems.append(f"{where}: tshark calls the packet malformed")
        severities = [int(s) for s in p["_ws.expert.severity"].split(";") if s]
        messages = p["_ws.expert.message"].split(";")
        for s, m in zip(severities, messages):
            if s >= PI_ERROR:
                problems.append(f"{where}: tshark error: {m}")
    return problems, rebased


def run_case(finwave, target, name, profile, at, ip, tmp):
    # A built-in is run by its name; a scenario file by its path.
    strict = target == name
    case = f"{name} --profile {profile} --capture-at {at}" + (" --ipv6" if ip == "v6" else "")
    pcap = os.path.join(tmp, f"{name}-{profile}-{at}-{ip}.pcap")
    cmd = [finwave, "run", target, "--profile", profile, "--trace", "jsonl", "--pcap", pcap, "--capture-at", at]
    if ip == "v6":
        cmd.append("--ipv6")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return case, [f"{case}: finwave run exited {r.returncode}: {r.stderr.strip()}"], [], 0, 0
    trace = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    rows, err = read_capture(pcap)
    if err:
        return case, [f"{case}: {err}"], [], 0, 0
    warnings = []
    for p in rows:
        for s, m in zip(p["_ws.expert.severity"].split(";"), p["_ws.expert.message"].split(";")):
            if s and PI_ERROR > int(s) >= 0x600000:
                warnings.append(m)
    os.remove(pcap)
    problems, rebased = compare(case, trace, rows, at, ip, strict)
    return case, problems, warnings, rebased, len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("finwave")
    ap.add_argument("--extra", nargs="*", default=[], help="scenario files, run in their own profile")
    ap.add_argument("--only", nargs="*", default=[], help="only these built-in scenarios")
    args = ap.parse_args()

    listing = subprocess.run([args.finwave, "scenarios"], capture_output=True, text=True, check=True).stdout
    builtins = [line.split()[0] for line in listing.splitlines() if line.strip()]
    if args.only:
        builtins = [b for b in builtins if b in args.only]
    if not builtins:
        print("no built-in scenarios listed by 'finwave scenarios'")
        return 1
    cases = []
    for name in builtins:
        for profile in ("rfc", "linux"):
            for at in ("client", "server"):
                for ip in ("v4", "v6") if profile == "linux" else ("v4",):
                    cases.append((name, name, profile, at, ip))
    for path in args.extra:
        name = os.path.splitext(os.path.basename(path))[0]
        profile = "rfc" if "profile rfc" in open(path, encoding="utf-8").read() else "linux"
        for at in ("client", "server"):
            cases.append((path, name, profile, at, "v4"))

    problems, warnings, rebased_in = [], {}, {}
    packets = 0
    with tempfile.TemporaryDirectory(prefix="finwave-tshark-") as tmp:
        # Two at a time: the machines this runs on have two cores.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(run_case, args.finwave, t, n, p, a, i, tmp) for t, n, p, a, i in cases]
            for f in futures:
                case, found, warned, rebased, count = f.result()
                problems += found
                packets += count
                for w in warned:
                    warnings[w] = warnings.get(w, 0) + 1
                if rebased:
                    rebased_in[case] = rebased
    for p in problems[:60]:
        print(p)
    if len(problems) > 60:
        print(f"... and {len(problems) - 60} more")
    print(f"{len(cases)} captures, {packets} packets ({len(builtins)} built-in scenarios x 2 profiles x 2 capture points,"
          f" IPv6 too in linux; {len(args.extra)} scenario files x 2 capture points): {len(problems)} differences from the trace")
    for case, n in sorted(rebased_in.items()):
        print(f"  {case}: {n} packets after an injected SYN or before the peer's SYN: tshark counts those from another"
              " base than the ISN, so their numbers were checked raw, from the ISN")
    for m, n in sorted(warnings.items()):
        print(f"  tshark warning x{n}: {m}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
