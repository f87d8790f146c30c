#!/usr/bin/env python3
"""finwave explain against the real kernel: each conformance run's tcpdump
captures (build/conformance/NAME/kernel/{client,server}.pcap) are explained,
and the states of the end at the tap are compared with the kernel's own,
sampled through sock_diag about every millisecond (kernel/trace.txt).

A state the kernel's samples skip is allowed when it lasted no longer than
the gap between the two samples around it (a CLOSE-WAIT the application
leaves at once, a FIN-WAIT-2 ended by a FIN right behind the ACK); a change
the explanation puts at time T must lie between the kernel's sample that
still showed the old state and the one that showed the new, give or take
the tap's 1 ms (tcpdump stamps a packet before the socket handles it). The
comparison ends where the kernel's trace ends (its TIME-WAIT is not waited out).

Usage: explain_vs_kernel.py FINWAVE CONFORMANCE_DIR [--markdown FILE] [--strict]
A report: it exits non-zero when finwave explain fails on a capture, and with
--strict also when a state sequence at the tap disagrees."""
import json
import os
import re
import struct
import subprocess
import sys

SLACK_US = 1000
KERNEL_NAMES = {"SYN-RECV": "SYN-RECEIVED", "GONE": "CLOSED", "LAST_ACK": "LAST-ACK"}
SYSCTL_KNOBS = {"tcp_fin_timeout": ("fin_timeout", "{}s"), "tcp_orphan_retries": ("orphan_retries", "{}"),
                "tcp_retries2": ("retries2", "{}"), "tcp_syn_retries": ("syn_retries", "{}"),
                "tcp_synack_retries": ("synack_retries", "{}"), "tcp_rfc1337": ("rfc1337", "{}")}


def read_pcap(path):
    """(header, [(t_us, record bytes without its header)]) of a microsecond pcap."""
    data = open(path, "rb").read()
    if len(data) < 24:
        return None, []
    order = "<" if struct.unpack("<I", data[:4])[0] == 0xa1b2c3d4 else ">"
    out, i = [], 24
    while i + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack(order + "IIII", data[i:i + 16])
        out.append((sec * 1000000 + usec, orig, data[i + 16:i + 16 + incl]))
        i += 16 + incl
    return data[:24] if order == "<" else None, out


def host_capture(kdir, side, delay_us, out_path):
    """What tcpdump -i on the host's tun device would have shown: its own
    departures (SIDE.pcap, tcpdump -Q out) and the peer's, a one-way delay
    later (the relay's), dropped ones included (nftables drops them after the tap)."""
    peer = "server" if side == "client" else "client"
    header, mine = read_pcap(os.path.join(kdir, f"{side}.pcap"))
    _, theirs = read_pcap(os.path.join(kdir, f"{peer}.pcap"))
    if header is None:
        return False
    frames = sorted([(t, 0, o, b) for t, o, b in mine] + [(t + delay_us, 1, o, b) for t, o, b in theirs], key=lambda f: (f[0], f[1]))
    with open(out_path, "wb") as f:
        f.write(header)
        for t, _, orig, b in frames:
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(b), orig) + b)
    return bool(frames)


def first_packet_us(pcap):
    data = open(pcap, "rb").read(40)
    if len(data) < 40:
        return None
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    sec, frac = struct.unpack(order + "II", data[24:32])
    return sec * 1000000 + (frac // 1000 if nano else frac)


def kernel_states(trace):
    """Per side: [(state, t_us, prev_us)] for each change the samples show, absolute times."""
    start, out, last = None, {"C": [], "S": []}, {"C": None, "S": None}
    knobs, end_us, delay_us = [], 0, 0
    for line in open(trace):
        m = re.match(r"# start_realtime_us (\d+)", line)
        if m:
            start = int(m.group(1))
        m = re.match(r"# delay_ms (\d+)", line)
        if m:
            delay_us = int(m.group(1)) * 1000
        m = re.match(r"# override: sysctl = (\w+)=(\d+)", line)
        if m and m.group(1) in SYSCTL_KNOBS:
            name, fmt = SYSCTL_KNOBS[m.group(1)]
            value = fmt.format(m.group(2)) if name != "rfc1337" else ("on" if m.group(2) == "1" else "off")
            knobs.append(f"{name}={value}")
        f = line.split()
        if len(f) >= 2 and re.match(r"^[0-9.]+$", f[0]) and start is not None:
            end_us = max(end_us, start + int(float(f[0]) * 1000))
        if len(f) >= 4 and f[1] == "state" and start is not None:
            side, state = f[2], KERNEL_NAMES.get(f[3], f[3])
            prev = next((x[5:] for x in f if x.startswith("prev=")), f[0])
            if state != last[side]:
                out[side].append((state, start + int(float(f[0]) * 1000), start + int(float(prev) * 1000)))
                last[side] = state
    return out, knobs, end_us, delay_us


def compare(explained, kernel, end_us):
    """'' if they agree, else what differs."""
    ex = [(s, t) for s, t in explained if s != "LISTEN" and t is not None and t <= end_us]
    i = 0
    for k_state, k_t, k_prev in kernel:
        while i < len(ex) and ex[i][0] != k_state:
            lasted = (ex[i + 1][1] if i + 1 < len(ex) else end_us) - ex[i][1]
            if lasted > (k_t - k_prev) + SLACK_US:
                return f"{ex[i][0]} at {ex[i][1] - ex[0][1]} us lasted {lasted} us, the kernel never showed it"
            i += 1
        if i == len(ex):
            return f"the kernel went to {k_state}; the explanation never does"
        t = ex[i][1]
        if not (k_prev - SLACK_US <= t <= k_t + SLACK_US):
            return f"{k_state}: explained at {t - k_prev:+d} us from the kernel's last sample before it (next sample {k_t - k_prev} us later)"
        i += 1
    rest = [s for s, t in ex[i:]]
    if rest and any(t < end_us - SLACK_US for s, t in ex[i:]):
        return f"the explanation goes on to {' '.join(rest)}; the kernel stays in {kernel[-1][0] if kernel else '?'}"
    return ""


def main():
    finwave, root = sys.argv[1], sys.argv[2]
    md = sys.argv[sys.argv.index("--markdown") + 1] if "--markdown" in sys.argv else None
    rows, failures, broken = [], 0, 0
    for name in sorted(os.listdir(root)):
        kdir = os.path.join(root, name, "kernel")
        trace = os.path.join(kdir, "trace.txt")
        if not os.path.isfile(trace):
            continue
        kernel, knobs, end_us, delay_us = kernel_states(trace)
        for side, letter in (("client", "C"), ("server", "S")):
            pcap = os.path.join(kdir, f"explain-at-{side}.pcap")
            t0 = first_packet_us(pcap) if host_capture(kdir, side, delay_us, pcap) else None
            if t0 is None:
                rows.append((name, side, "-", "no packets at this host", ""))
                continue
            cmd = [finwave, "explain", pcap, "--json", "--capture-at", side] + [a for k in knobs for a in ("--set", k)]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode not in (0, 1) or not r.stdout.strip():
                rows.append((name, side, "-", f"finwave explain failed ({r.returncode}): {r.stderr.strip()[:200]}", ""))
                failures += 1
                broken += 1
                continue
            objs = [json.loads(line) for line in r.stdout.splitlines()]
            states = [(s, None if t is None else t0 + t) for o in objs for s, t in o[f"{side}_states"]]
            why = compare(states, kernel[letter], end_us)
            kinds = ", ".join(o["kind"] for o in objs)
            seq = " ".join(s for s, t in states if s != "LISTEN" and t is not None and t <= end_us)
            rows.append((name, side, kinds, why or "agrees", seq))
            failures += bool(why)
    lines = ["| scenario | tap | kind (explain) | states at the tap vs the kernel's `ss` samples | explained states |",
             "|---|---|---|---|---|"]
    lines += [f"| {n} | {s} | {k} | {w} | {q} |" for n, s, k, w, q in rows]
    agree = sum(1 for r in rows if r[3] == "agrees")
    summary = f"{agree} of {len(rows)} captures: the tap's states agree with the kernel's; {failures} disagree"
    print("\n".join(lines))
    print(summary)
    if md:
        section = ["## `finwave explain` of the kernel's captures", "",
                   "Generated by `tests/conformance/explain_vs_kernel.py`: each host's tcpdump capture of",
                   "the kernel run, explained with `finwave explain --capture-at HOST` and the run's sysctls as",
                   "knobs; the states of the host at the tap are compared with the kernel's own (`sock_diag`",
                   "samples, ~1 ms apart). A state shorter than the gap between two samples may be missing",
                   "from the kernel's; a change must fall between the samples around it, give or take 1 ms.",
                   "", summary + ".", ""] + lines + [""]
        text = open(md).read() if os.path.exists(md) else ""
        begin, end = "<!-- explain-vs-kernel -->", "<!-- /explain-vs-kernel -->"
        block = begin + "\n" + "\n".join(section) + end + "\n"
        if begin in text:
            text = text[:text.index(begin)] + block + text[text.index(end) + len(end) + 1:]
        else:
            text = text.rstrip("\n") + "\n\n" + block
        open(md, "w").write(text)
    sys.exit(1 if broken or (failures and "--strict" in sys.argv) else 0)


main()
