#!/usr/bin/env python3
"""A terminal practice session as a learner types it, with a fixed seed, a
temporary review file and a chosen "today": a wrong answer comes back in
the same session, a right one is scheduled for a later day, and a restart
finds the schedule as it was left. A corrupted file is refused and kept.

usage: quiz_session.py FINWAVE LESSONS_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

FW = sys.argv[1]
LESSONS = sys.argv[2]  # a lessons folder whose first question's answer is A
failures = []


checks = 0


def check(cond, what):
    global checks
    checks += 1
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def exercises(seed, count, level):
    out = subprocess.run([FW, "practice", "--seed", str(seed), "--count", str(count), "--level", str(level), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines()]


def reply(ex, right):
    """What a learner types for a right or a wrong answer."""
    choices = ex["question"].get("choices")
    if not choices:
        return ex["answer"] if right else str(int(ex["answer"]) + 1)
    for i, c in enumerate(choices):
        if (c["value"] == ex["answer"]) == right:
            return chr(ord("A") + i)


def quiz(path, today, typed, count=2, lang="en"):
    res = subprocess.run([FW, "quiz", "--practice", "--seed", "7", "--count", str(count), "--level", "1", "--lang", lang,
                          "--progress", path, "--today", today, "--dir", LESSONS], input="\n".join(typed) + "\n", capture_output=True, text=True)
    return res.returncode, res.stdout, res.stderr


def card(path, cid):
    for line in open(path):
        if line.startswith(cid + " "):
            return line.split()
    return None


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "review.txt")
    a, b = exercises(7, 2, 1)
    lesson = "lesson:states-step-by-step/state-after-fin"
    # Day 1: two new exercises and one new lesson question. a right; b wrong,
    # back in the same session, then right; the lesson question wrong, then right.
    rc, out, err = quiz(path, "2026-12-01", [reply(a, True), reply(b, False), "B", reply(b, True), "A"])
    check(rc == 0 and not err, "session 1 runs (rc %d, %s)" % (rc, err.strip()))
    check(out.count("Practice, level 1, seed 8") == 2, "the wrong answer is asked again in the same session")
    check("It comes back later in this session." in out, "the learner is told it comes back")
    check("0 due for review, 3 new" in out, "two new exercises and one lesson question")
    check(out.count("Which state will the client enter next?") == 2, "the wrong lesson question is asked again too")
    check(out.count("Next review on 2026-12-02 (box 2).") == 3, "all three right answers are scheduled for the next day")
    check("Score: 3/5" in out, "the score counts five answers, three right")
    check(card(path, "practice:1:7") == "practice:1:7 box 2 due 2026-12-02 right 1 wrong 0".split(), "card of seed 7 saved")
    check(card(path, "practice:1:8") == "practice:1:8 box 2 due 2026-12-02 right 1 wrong 1".split(), "card of seed 8 saved")
    check(card(path, lesson) == (lesson + " box 2 due 2026-12-02 right 1 wrong 1").split(), "the lesson question's card saved")
    saved = open(path).read()
    # Restart the same day: nothing is due, nothing changes.
    rc, out, err = quiz(path, "2026-12-01", [], count=0)
    check(rc == 0 and "0 due for review, 0 new" in out and "Nothing is due today." in out, "a restart the same day finds nothing due")
    check(open(path).read() == saved, "the schedule is kept across the restart")
    # The next day all are due; right again moves them to box 3, three days on.
    rc, out, err = quiz(path, "2026-12-02", ["A", reply(a, True), reply(b, True)], count=0)
    check("3 due for review, 0 new" in out, "the next day all three cards are due")
    check(out.count("Next review on 2026-12-05 (box 3).") == 3, "right again: box 3, three days later")
    # In Chinese, the same schedule.
    rc, out, err = quiz(path, "2026-12-05", ["A", reply(a, False), reply(b, True), reply(a, True)], count=0, lang="zh")
    check("3 道到期复习" in out and "稍后会在本次练习中再次出现" in out, "the session speaks Chinese")
    check(card(path, "practice:1:7")[1:3] == ["box", "2"], "a wrong answer sends the card back to box 1 (then 2 after a right one)")
    # A corrupted file is refused with its name and line, and left alone.
    with open(path, "w") as f:
        f.write("finwave-quiz-review 1\npractice:1:7 box nine due soon\n")
    rc, out, err = quiz(path, "2026-12-06", ["A"])
    check(rc == 2 and path + ":2:" in err and "left as it is" in err, "a corrupted file gets a clear message: " + err.strip())
    check(open(path).read() == "finwave-quiz-review 1\npractice:1:7 box nine due soon\n", "the corrupted file is not overwritten")
    with open(path, "w") as f:
        f.write("finwave-quiz-review 9\n")
    rc, out, err = quiz(path, "2026-12-06", ["A"])
    check(rc == 2 and "version 9" in err, "a file of another version is refused: " + err.strip())

print("quiz practice: %d passed, %d failed" % (checks - len(failures), len(failures)))
sys.exit(1 if failures else 0)
