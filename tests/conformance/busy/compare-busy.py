#!/usr/bin/env python3
"""Busy-host workloads on real Linux sockets against the engine's HostModel.

    sudo tests/conformance/busy/compare-busy.py [--finwave build/check/cli/finwave] [CASE...]

Each case runs a small workload (a client closing first at 80-100
connections/s for 2-3 s) twice: in two network namespaces joined by a veth
pair, with the case's sysctls in the client's namespace, and through
`finwave run FILE --summary` with the same workload written as a scenario.
It then compares what both report: connect() successes and EADDRNOTAVAIL,
sockets in TIME-WAIT (`ss -tan state time-wait`), and the kernel's
counters (`nstat`: TcpExtTCPTimeWaitOverflow, TcpExtTWRecycled). Prints one
line per check and "N passed, M failed"; exits non-zero on any failure, and
when the machine cannot run it (no root, no network namespaces).

The rates are low so that a busy 2-core machine keeps up: a client that
falls behind still makes every connection, and every count compared is of
sockets that live 60 s (TIME-WAIT), so the comparison does not depend on
timing.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

SERVER_ADDR, CLIENT_ADDR, PORT = "10.77.0.2", "10.77.0.1", 8080
REQUEST, RESPONSE = 200, 1400

# name: (workload line, host line for the engine, client sysctls, checks with tolerance)
CASES = {
    "ports-exhausted": {
        "about": "100 ephemeral ports, 80 connections/s for 3 s, tcp_tw_reuse=0: TIME-WAIT holds every port after 1.25 s",
        "rate": 80, "seconds": 3,
        "host": "host client port_range=40000-40099 tw_reuse=0",
        "sysctl": {"net.ipv4.ip_local_port_range": "40000 40099", "net.ipv4.tcp_tw_reuse": "0"},
        "checks": {"connected": 0, "EADDRNOTAVAIL": 0, "TIME-WAIT": 0},
    },
    "ports-tw-reuse": {
        "about": "the same with tcp_tw_reuse=1: connect() takes TIME-WAIT ports whose last segment is over 1 s old",
        "rate": 80, "seconds": 3,
        "host": "host client port_range=40000-40099 tw_reuse=1",
        "sysctl": {"net.ipv4.ip_local_port_range": "40000 40099", "net.ipv4.tcp_tw_reuse": "1"},
        # Which port a search meets first decides how many are recycled
        # rather than fresh: a few either way.
        "checks": {"connected": 0, "EADDRNOTAVAIL": 0, "TIME-WAIT": 5, "TcpExtTWRecycled": 5},
    },
    "tw-buckets": {
        "about": "tcp_max_tw_buckets=50, 100 connections/s for 2 s: TIME-WAIT stops at 50, the rest overflow",
        "rate": 100, "seconds": 2,
        "host": "host client tw_buckets=50",
        "sysctl": {"net.ipv4.tcp_max_tw_buckets": "50"},
        "checks": {"connected": 0, "TIME-WAIT": 0, "TcpExtTCPTimeWaitOverflow": 0},
    },
}


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


# --- the two programs, run inside the namespaces ----------------------------

def serve():
    """Accept, read the request, answer, read until EOF, close: one at a time."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((SERVER_ADDR, PORT))
    ls.listen(4096)
    print("listening", flush=True)
    while True:
        c, _ = ls.accept()
        got = 0
        while got < REQUEST:
            b = c.recv(65536)
            if not b:
                break
            got += len(b)
        c.sendall(b"r" * RESPONSE)
        while c.recv(65536):
            pass
        c.close()


def client(rate, seconds):
    """rate connections/s for seconds, each: connect, request, response, close first."""
    out = {"connected": 0, "EADDRNOTAVAIL": 0, "other": 0}
    start = time.monotonic()
    for k in range(rate * seconds):
        delay = start + k / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s = socket.socket()
        try:
            s.connect((SERVER_ADDR, PORT))
        except OSError as e:
            s.close()
            out["EADDRNOTAVAIL" if e.errno == 99 else "other"] += 1
            continue
        out["connected"] += 1
        s.sendall(b"q" * REQUEST)
        got = 0
        while got < RESPONSE:
            b = s.recv(65536)
            if not b:
                break
            got += len(b)
        s.close()
    print(json.dumps(out), flush=True)


# --- the comparison ---------------------------------------------------------

def kernel_run(case, tag):
    c, s = f"fwbc-{tag}", f"fwbs-{tag}"
    for ns in (c, s):
        sh("ip", "netns", "add", ns)
    try:
        sh("ip", "link", "add", f"fwb{tag}c", "netns", c, "type", "veth", "peer", "name", f"fwb{tag}s", "netns", s)
        for ns, dev, addr in ((c, f"fwb{tag}c", CLIENT_ADDR), (s, f"fwb{tag}s", SERVER_ADDR)):
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
        for k, v in case["sysctl"].items():
            sh("ip", "netns", "exec", c, "sysctl", "-q", "-w", f"{k}={v}")
        server = subprocess.Popen(["ip", "netns", "exec", s, sys.executable, __file__, "--serve"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            if server.stdout.readline().strip() != "listening":
                raise RuntimeError("the server did not start")
            r = sh("ip", "netns", "exec", c, sys.executable, __file__, "--client", str(case["rate"]), str(case["seconds"]))
            result = json.loads(r.stdout.strip().splitlines()[-1])
            time.sleep(0.5)  # the last close's FIN exchange
            tw = sh("ip", "netns", "exec", c, "ss", "-tanH", "state", "time-wait").stdout
            result["TIME-WAIT"] = len([l for l in tw.splitlines() if l.strip()])
            nstat = sh("ip", "netns", "exec", c, "nstat", "-asz").stdout
            for name in ("TcpExtTCPTimeWaitOverflow", "TcpExtTWRecycled"):
                m = re.search(rf"^{name}\s+(\d+)", nstat, re.M)
                result[name] = int(m.group(1)) if m else 0
            return result
        finally:
            server.kill()
            server.wait()
    finally:
        for ns in (c, s):
            sh("ip", "netns", "del", ns, check=False)


def engine_run(case, name, finwave):
    text = (f"scenario kernel-{name}\n"
            f"description {case['about']}\n"
            f"workload rate {case['rate']}/s for {case['seconds']}s request {REQUEST} response {RESPONSE} closer client\n"
            f"{case['host']}\n"
            # veth between namespaces: well under a millisecond each way
            "set latency=100us\n"
            f"until {case['seconds'] + 1}s\n")
    with tempfile.NamedTemporaryFile("w", suffix=".scenario", delete=False) as f:
        f.write(text)
    try:
        r = sh(finwave, "run", f.name, "--summary", "--every", "100s", check=False)
    finally:
        os.unlink(f.name)
    if r.returncode != 0:
        raise RuntimeError(f"finwave run failed: {r.stderr.strip()}")
    counters = {k: int(v) for k, v in re.findall(r"^# client (\S+) (\d+)$", r.stdout, re.M)}
    end = re.search(r"^# client ss -s .*timewait (\d+)\)", r.stdout, re.M)
    return {
        "connected": counters.get("connected", 0),
        "EADDRNOTAVAIL": counters.get("EADDRNOTAVAIL", 0),
        "TIME-WAIT": int(end.group(1)),
        "TcpExtTCPTimeWaitOverflow": counters.get("TcpExtTCPTimeWaitOverflow", 0),
        "TcpExtTWRecycled": counters.get("TcpExtTWRecycled", 0),
    }


def cannot_run(why):
    print(f"\n!!! BUSY-HOST KERNEL COMPARISON CANNOT RUN: {why}\n\n0 passed, 1 failed", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        return serve()
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        return client(int(sys.argv[2]), int(sys.argv[3]))
    ap = argparse.ArgumentParser(description="busy-host workloads: the kernel against the engine")
    ap.add_argument("--finwave", default="build/check/cli/finwave")
    ap.add_argument("cases", nargs="*", choices=[[]] + list(CASES), default=[])
    args = ap.parse_args()
    if os.geteuid() != 0:
        cannot_run("must run as root (network namespaces, sysctls)")
    if not os.access(args.finwave, os.X_OK):
        cannot_run(f"no finwave at {args.finwave}")
    print(f"kernel {os.uname().release}")
    passed = failed = 0
    for name in args.cases or CASES:
        case = CASES[name]
        try:
            kernel = kernel_run(case, str(os.getpid() % 100000))
            engine = engine_run(case, name, args.finwave)
        except (subprocess.CalledProcessError, RuntimeError, OSError) as e:
            detail = getattr(e, "stderr", "") or ""
            cannot_run(f"{name}: {e} {detail.strip()}")
        if kernel.get("other"):
            print(f"FAIL {name}: {kernel['other']} connect() calls failed with another error")
            failed += 1
        for check, tolerance in case["checks"].items():
            ok = abs(kernel[check] - engine[check]) <= tolerance
            passed += ok
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'} {name}: {check} kernel {kernel[check]}, engine {engine[check]}"
                  f" (tolerance {tolerance})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main() or 0)
