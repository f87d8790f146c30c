#!/usr/bin/env python3
"""Checks generated practice exercises against an independent path.

Generates 10,000 exercises (`finwave practice --json`, all templates, the
three levels on distinct seeds), then for each one:
  - writes its scenario text to a file, runs `finwave run FILE --trace jsonl`
    and derives the answer from that trace alone (not the generator's code);
  - checks that a seed gives the same exercise on a second run;
  - checks the choices: the answer is among them exactly once and no wrong
    choice is also true;
  - checks solvability: the ladder stops at the question's moment, hides the
    states when the question asks for one, and shows what decides the answer
    (a segment on the ladder, a knob with its value, or a fact of the story);
and across all of them that no two seeds tell the same story with the same
question.

usage: check_practice.py FINWAVE [COUNT]
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

FW = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
LEVEL_SEEDS = {1: 1, 2: 1_000_001, 3: 2_000_001}  # distinct seeds per level

RST_CAUSES = {
    "app-close-unread": "unread-data",
    "app-abort": "linger-zero",
    "rcv-data-after-close": "data-after-close",
    "too-many-orphans": "too-many-orphans",
}


def generate():
    out = []
    per = [COUNT // 3 + (1 if i < COUNT % 3 else 0) for i in range(3)]
    for level, n in zip((1, 2, 3), per):
        res = subprocess.run([FW, "practice", "--count", str(n), "--seed", str(LEVEL_SEEDS[level]),
                              "--level", str(level), "--json"], capture_output=True, text=True, check=True)
        out += [json.loads(line) for line in res.stdout.splitlines()]
    return out


def run_trace(path):
    res = subprocess.run([FW, "run", path, "--trace", "jsonl"], capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr
    return [json.loads(l) for l in res.stdout.splitlines()], ""


def truth(ex, trace):
    q = ex["question"]
    kind, side, t = q["kind"], q["side"], q.get("t_us")
    states = [e for e in trace if e["kind"] == "state"]
    sends = [e for e in trace if e["kind"] == "send" and not e.get("injected")]
    if kind == "next-state":
        return next(e["to"] for e in states if e["side"] == side and e["t_us"] >= t)
    if kind == "state-at":
        now = "CLOSED"
        for e in states:
            if e["side"] == side and e["t_us"] <= t:
                now = e["to"]
        return now
    if kind == "field":
        seg = next(e for e in sends if e["side"] == side and e["t_us"] >= t)
        return seg["flags"] if q["field"] == "flags" else str(seg[q["field"]])
    if kind == "retransmit-time":
        return str(next(e["t_us"] for e in sends if e["side"] == side and e.get("rtx") and "F" in e["flags"] and e["t_us"] > t))
    if kind == "give-up-time":
        return str(next(e["t_us"] for e in states if e["side"] == side and e["to"] == "CLOSED" and e["t_us"] > t))
    if kind == "closed-time":
        t0 = next(e["t_us"] for e in trace if e["kind"] == "app" and e["call"].split("(")[0] in ("close", "shutdown", "abort"))
        final = {}
        for e in states:
            final[e["side"]] = e["to"]
        if final.get("client") != "CLOSED" or final.get("server") != "CLOSED":
            return None
        return str(max(e["t_us"] for e in states if e["to"] == "CLOSED") - t0)
    if kind == "rst-case":
        rst = next(e for e in sends if "R" in e["flags"])
        for e in trace:
            if e["t_us"] == rst["t_us"] and e["side"] == rst["side"]:
                if e["kind"] == "state" and e["cause"] in RST_CAUSES:
                    return RST_CAUSES[e["cause"]]
                if e["kind"] == "note" and e["note"] == "no-connection":
                    return "no-connection"
        return None
    raise ValueError("unknown kind " + kind)


def solvability(ex):
    """Problems with what the learner is shown before answering."""
    q, why = ex["question"], ex["why"]
    problems = []
    t = q.get("t_us")
    if t is None:
        return ["no moment"]
    strict = q["kind"] in ("next-state", "field", "closed-time")
    for e in ex["ladder"]:
        if e["t_us"] > t or (strict and e["t_us"] == t):
            problems.append("the ladder shows %s at %d, past the moment %d" % (e["kind"], e["t_us"], t))
    if q["kind"] in ("state-at", "rst-case") and any(e["kind"] == "state" for e in ex["ladder"]):
        problems.append("the ladder shows states, and the question asks for one")
    d = why["deciding"]
    if "seg" in d:
        if not any(e["kind"] == "send" and e.get("seg") == d["seg"] for e in ex["ladder"]):
            problems.append("deciding segment #%d is not on the ladder" % d["seg"])
    elif "knob" in d:
        if not any(k.split("=")[0] == d["knob"] for k in ex["knobs"]):
            problems.append("deciding knob %s is not shown" % d["knob"])
    elif not ex["story"]:
        problems.append("decided by the story, but no story is told")
    if not ex["question"]["prompt"]["en"] or not ex["question"]["prompt"]["zh"]:
        problems.append("a prompt is missing a language")
    return problems


def main():
    exercises = generate()
    assert len(exercises) == COUNT, len(exercises)
    failures = []
    # The same seed gives the same exercise, byte for byte, run after run.
    again = subprocess.run([FW, "practice", "--count", "200", "--seed", str(LEVEL_SEEDS[3]), "--level", "3", "--json"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for line, ex in zip(again, [e for e in exercises if e["level"] == 3][:200]):
        if json.loads(line) != ex:
            failures.append("seed %d level 3: a second run generates another exercise" % ex["seed"])
    seen = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for ex in exercises:
            p = os.path.join(tmp, "practice-%d-%d.scenario" % (ex["level"], ex["seed"]))
            with open(p, "w") as f:
                f.write(ex["scenario"])
            paths.append(p)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            traces = list(pool.map(run_trace, paths))
    for ex, (trace, err) in zip(exercises, traces):
        tag = "seed %d level %d (%s, %s): " % (ex["seed"], ex["level"], ex["template"], ex["question"]["kind"])
        replay = "  replay: finwave practice --seed %d --level %d --count 1 --json" % (ex["seed"], ex["level"])
        if trace is None:
            failures.append(tag + "finwave run failed: " + err.strip() + replay)
            continue
        try:
            true_value = truth(ex, trace)
        except StopIteration:
            true_value = None
        if true_value is None or true_value != ex["answer"]:
            failures.append(tag + "answer %r, the trace says %r" % (ex["answer"], true_value) + replay)
        choices = ex["question"].get("choices")
        if choices is not None:
            values = [c["value"] for c in choices]
            if values.count(ex["answer"]) != 1:
                failures.append(tag + "the answer is %d times among the choices" % values.count(ex["answer"]) + replay)
            if len(set(values)) != len(values):
                failures.append(tag + "two choices have the same value" + replay)
            if any(v != ex["answer"] and v == true_value for v in values):
                failures.append(tag + "a wrong choice is also true" + replay)
            if any(not c["text"]["en"] or not c["text"]["zh"] for c in choices):
                failures.append(tag + "a choice has no text" + replay)
        for p in solvability(ex):
            failures.append(tag + p + replay)
        q = ex["question"]
        story = "\n".join(ex["scenario"].split("\n")[2:])  # without the name and description lines
        key = (story, q["kind"], q["side"], q.get("t_us"), q.get("field"))
        if key in seen:
            failures.append(tag + "same story and question as seed %d" % seen[key])
        seen[key] = ex["seed"]
    counts = Counter((ex["template"], ex["question"]["kind"]) for ex in exercises)
    for (tpl, kind), n in sorted(counts.items()):
        print("%-13s %-16s %5d" % (tpl, kind, n))
    print("levels:", dict(Counter(ex["level"] for ex in exercises)))
    for f in failures[:40]:
        print("FAIL", f)
    ok = len(exercises) - len({f.split(":")[0] for f in failures})
    print("practice: %d passed, %d failed" % (ok, len(exercises) - ok))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
