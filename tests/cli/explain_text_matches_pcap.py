#!/usr/bin/env python3
"""finwave explain of `tcpdump -n -r X.pcap` and `tshark -r X.pcap` text gives
the same states, kind and notes as finwave explain of X.pcap itself, for
captures of several scenarios at both hosts.
Usage: explain_text_matches_pcap.py FINWAVE OUTDIR"""
import json
import os
import subprocess
import sys

finwave, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
SCENARIOS = ["four-way-close", "three-segment-close", "first-fin-lost", "half-close", "simultaneous-close",
             "rst-linger-zero", "fourth-ack-lost", "time-wait-rst-assassination"]
KEYS = ["kind", "kinds", "client_states", "server_states", "capture_at"]
failures = 0
for name in SCENARIOS:
    for at in ["client", "server"]:
        pcap = os.path.join(out, f"{name}-{at}.pcap")
        subprocess.run([finwave, "run", name, "--pcap", pcap, "--capture-at", at], check=True, stdout=subprocess.DEVNULL)
        texts = {
            "tcpdump": subprocess.run(["tcpdump", "-n", "-r", pcap], check=True, capture_output=True, text=True).stdout,
            "tshark": subprocess.run(["tshark", "-r", pcap], check=True, capture_output=True, text=True).stdout,
        }

        def explain(path):
            r = subprocess.run([finwave, "explain", path, "--json", "--capture-at", at], capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"finwave explain {path} failed ({r.returncode}): {r.stderr}")
            return [json.loads(line) for line in r.stdout.splitlines()]

        want = explain(pcap)
        for tool, text in texts.items():
            path = os.path.join(out, f"{name}-{at}.{tool}.txt")
            open(path, "w").write(text)
            got = explain(path)
            if len(got) != len(want):
                print(f"{name} @{at} {tool}: {len(got)} connections, the pcap has {len(want)}")
                failures += 1
                continue
            for w, g in zip(want, got):
                for k in KEYS + ["notes"]:
                    wv, gv = w[k], g[k]
                    if k == "notes":  # where differs ("packet 3" / "line 3"); the rest must not
                        wv = [(n["segment"], n["note"], n["side"], n["text"]) for n in wv]
                        gv = [(n["segment"], n["note"], n["side"], n["text"]) for n in gv]
                    if wv != gv:
                        print(f"{name} @{at} {tool}: {k} differs:\n  pcap {wv}\n  text {gv}")
                        failures += 1
print(f"{len(SCENARIOS) * 2 * 2} texts compared with their pcaps, {failures} differences")
sys.exit(1 if failures else 0)
