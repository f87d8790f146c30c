#!/usr/bin/python3
"""Tests of the desktop app (web/desktop/) as a learner runs it: in a real
window on a virtual X display (Xvfb, Mesa's software OpenGL), with a
screenshot read back from the window, a script of clicks, keys and
commands, and the files the app keeps.

    desktop_test.py --binary build/native/web/desktop/finwave-desktop [--case NAME]...

Every case starts the app afresh under `xvfb-run` in an empty home, so the
learner's own files and display are never touched. Screenshots go to
tests/artifacts/desktop-*.png, beside the browser tests' own.
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTH, HEIGHT = 1400, 880  # the browser tests' viewport
# Colours of ui.hpp: the window's background and the lesson pane's.
BACKGROUNDS = {(0x1B, 0x1E, 0x23), (0x22, 0x26, 0x2D), (0x1D, 0x20, 0x26)}
RUN_TIMEOUT_S = 120  # software GL on a shared 2-core machine: generous


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class App:
    """Runs the app in its own home folder; keeps what each run left."""

    def __init__(self, binary, home):
        self.binary = binary
        self.home = pathlib.Path(home)
        self.data = self.home / "data"

    def run(self, *args, expect_status=0, script=None, name="run"):
        argv = [str(self.binary), "--size", f"{WIDTH}x{HEIGHT}", *map(str, args)]
        if script is not None:
            path = self.home / f"{name}.script"
            path.write_text(script, encoding="utf-8")
            argv += ["--script", str(path)]
        state = self.home / f"{name}.state.json"
        argv += ["--state", str(state)]
        # A fresh home and no locale: the app's defaults, not this machine's.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "XDG_"))}
        env.update(HOME=str(self.home), XDG_DATA_HOME=str(self.data))
        env.pop("DISPLAY", None)
        command = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24", *argv]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        output = done.stdout + done.stderr
        check(done.returncode == expect_status,
              f"exit status {done.returncode}, expected {expect_status}: {' '.join(argv)}\n{output}")
        return json.loads(state.read_text(encoding="utf-8")) if state.exists() else None, output

    def progress(self):
        return json.loads((self.data / "finwave" / "progress.json").read_text(encoding="utf-8"))


def pixels(png):
    """The PNG's size and its pixels as (r, g, b) tuples, by ImageMagick."""
    size = subprocess.run(["identify", "-format", "%w %h", str(png)], capture_output=True, text=True, check=True).stdout
    width, height = map(int, size.split())
    raw = subprocess.run(["convert", str(png), "-depth", "8", "rgb:-"], capture_output=True, check=True).stdout
    check(len(raw) == width * height * 3, f"{png}: {len(raw)} bytes of pixels for {width}x{height}")
    return width, height, raw


def region(width, raw, x0, y0, x1, y1):
    return [tuple(raw[(y * width + x) * 3:(y * width + x) * 3 + 3]) for y in range(y0, y1) for x in range(x0, x1)]


def check_screenshot(png, state, what):
    """Not blank: many colours overall, and text where the lesson's title is."""
    width, height, raw = pixels(png)
    check((width, height) == (WIDTH, HEIGHT), f"{what}: the screenshot is {width}x{height}, not {WIDTH}x{HEIGHT}")
    colours = len(set(raw[i:i + 3] for i in range(0, len(raw), 3)))
    check(colours > 50, f"{what}: only {colours} distinct colours: the window is blank or nearly")

    # The title is the line under the Lessons button (lesson.list) and its
    # score, as wide as the lesson pane.
    ui = state["ui"]
    check("lesson.list" in ui and "lesson.score" in ui, f"{what}: the lesson pane's widgets are not on screen: {sorted(ui)}")
    lx, ly, lw, lh = ui["lesson.list"]
    sx, _, sw, _ = ui["lesson.score"]
    x0, y0, x1, y1 = int(lx), int(ly + lh + 2), int(sx + sw), int(ly + lh + 30)
    title = region(width, raw, x0, y0, x1, y1)
    ink = [p for p in title if p not in BACKGROUNDS and sum(p) > 3 * 140]
    share = len(ink) / len(title)
    check(len(set(title)) > 8 and share > 0.02,
          f"{what}: the title region {x0},{y0}-{x1},{y1} has {len(set(title))} colours and "
          f"{share:.1%} bright pixels: no text drawn")
    return colours, share


def screenshot_case(binary, home, lang, lesson, step, title_words):
    app = App(binary, home)
    png = ARTIFACTS / f"desktop-{lang}.png"
    png.unlink(missing_ok=True)
    state, _ = app.run("--lang", lang, "--lesson", lesson, "--step", step, "--screenshot", png)
    check(png.exists(), f"no screenshot at {png}")
    check(state["ready"] and state["frame"] >= 5, f"{state['frame']} frames drawn")
    # The CJK subset, not ImGui's built-in font (which would draw '?' for Chinese).
    check(state["font_glyphs"] > 100, f"the CJK font did not load ({state['font_glyphs']} glyphs)")
    check(state["lang"] == lang, f"language {state['lang']}, asked for {lang}")
    check(state["lesson"]["id"] == lesson and state["lesson"]["step"] == int(step),
          f"showing {state['lesson']['id']} step {state['lesson']['step']}")
    check(title_words in state["lesson"]["title"], f"title {state['lesson']['title']!r}")
    check(not state["notices"], f"unexpected notices: {state['notices']}")
    colours, share = check_screenshot(png, state, f"{lang} screenshot")
    return f"{png.relative_to(ROOT)}: {colours} colours, title {share:.0%} ink"


def case_english(binary, home):
    return screenshot_case(binary, home, "en", "why-four-segments", "1", "Why closing takes four segments")


def case_chinese(binary, home):
    return screenshot_case(binary, home, "zh", "states-step-by-step", "2", "状态")


def case_script(binary, home):
    """A learner's session through the real input path, kept across runs."""
    app = App(binary, home)
    # 1. The right answer by a click on it, then the next step by a key.
    state, _ = app.run("--lesson", "states-step-by-step", "--step", "2", "--frames", "2", name="first", script=(
        "# D is FIN-WAIT-2\n"
        "click quiz.gate-2017.choice.3\n"
        "key Right\n"))
    check(state["input_events"] >= 2, f"{state['input_events']} input events reached the app")
    check(state["lesson"]["step"] == 3, f"the Right key left step {state['lesson']['step']}, not 3")
    record = app.progress()["lessons"]["states-step-by-step"]["gate-2017"]
    check(record == {"attempts": 1, "correct": True, "first_try": True}, f"gate-2017 saved as {record}")

    # 2. No options: the app opens where the learner left off. Commands as
    # window.finwave.command takes them, then the language by its button.
    png = ARTIFACTS / "desktop-script.png"
    state, _ = app.run("--screenshot", png, name="second", script=(
        "answer gate-2017 A\n"  # answered already: stays as it was
        "lesson why-four-segments 1\n"
        "answer fin-meaning B\n"
        "answer fin-meaning A\n"
        "click lang.zh\n"))
    check(state["lang"] == "zh", f"the 中文 button left the language {state['lang']}")
    lessons = app.progress()["lessons"]
    check(lessons["states-step-by-step"]["gate-2017"]["first_try"], "the first run's answer was lost")
    record = lessons["why-four-segments"]["fin-meaning"]
    check(record == {"attempts": 2, "correct": True, "first_try": False}, f"fin-meaning saved as {record}")
    check((app.data / "finwave" / "lang").read_text() == "zh", "the language was not saved")

    # 3. Reopened: Chinese, the same lesson, the score kept.
    state, _ = app.run("--frames", "2", name="third")
    check(state["lang"] == "zh" and state["lesson"]["id"] == "why-four-segments",
          f"reopened in {state['lang']} at {state['lesson']['id']}")
    check(not state["notices"], f"unexpected notices: {state['notices']}")

    # 4. A language but no place on the command line: the place is kept.
    state, _ = app.run("--lang", "en", "--frames", "2", name="fourth")
    check(state["lang"] == "en" and state["lesson"]["id"] == "why-four-segments",
          f"--lang en opened {state['lang']} at {state['lesson']['id']}")
    return f"progress {app.data / 'finwave' / 'progress.json'} as expected; {png.relative_to(ROOT)}"


def case_corrupt_progress(binary, home):
    app = App(binary, home)
    saved = app.data / "finwave" / "progress.json"
    saved.parent.mkdir(parents=True)
    saved.write_bytes(b'{"format":"finwave-progress","version":1,"lessons":{"x":\x00\xff')
    state, _ = app.run("--lesson", "why-four-segments", "--frames", "2", script="answer fin-meaning A\n")
    keys = [n["key"] for n in state["notices"]]
    check(keys == ["notice.progress_discarded"], f"notices {state['notices']}")
    check(app.progress()["lessons"] == {"why-four-segments": {"fin-meaning": {"attempts": 1, "correct": True, "first_try": True}}},
          f"the new progress is {saved.read_text(errors='replace')}")
    return "discarded with a note; new answers saved"


def case_unsavable_progress(binary, home):
    app = App(binary, home)
    blocker = app.home / "a-file"
    blocker.write_text("")
    state, _ = app.run("--progress", blocker / "progress.json", "--lesson", "why-four-segments", "--frames", "2",
                       script="answer fin-meaning A\n")
    keys = [n["key"] for n in state["notices"]]
    check(keys == ["notice.file_storage_failed"], f"notices {state['notices']}")
    answered = [q["id"] for q in state["quiz"]["questions"] if q["correct"]]
    check(answered == ["fin-meaning"], f"answered in this session: {answered}")
    return "the learner is told; the answer counts for the session"


def case_no_lessons(binary, home):
    app = App(binary, home)
    state, _ = app.run("--lessons", app.home / "nowhere", "--frames", "2")
    keys = [n["key"] for n in state["notices"]]
    check("notice.index_failed" in keys and "notice.no_lessons" in keys, f"notices {state['notices']}")
    check(state["mode"] == "sandbox", f"mode {state['mode']}: no free play without lessons")
    return "free play, with the reason on screen"


def case_bad_usage(binary, home):
    app = App(binary, home)
    _, output = app.run("--frames", "0", expect_status=2, name="frames")
    check("--frames takes a number" in output, output)
    _, output = app.run("--frames", "2", script="answer no-such-question A\n", expect_status=1, name="script")
    check("no-such-question" in output, output)
    return "usage errors exit 2, a failing script line exits 1"


def case_idle(binary, home):
    """A still window draws nothing; input and a playing simulation draw again."""
    app = App(binary, home)
    _, output = app.run("--lesson", "states-step-by-step", "--frames", "1", name="idle", script=(
        "idle 1500\n"      # the first frames settle
        "idle 3000\n"      # nothing happens: no frames
        "key Tab\n"
        "idle 1000\n"      # a key: frames again
        "idle 2000\n"
        "play\n"
        "idle 1000\n"      # the command's own frames settle within this
        "idle 1000\n"))    # playing: frames without input
    counts = [int(line.split(": ")[2].split()[0]) for line in output.splitlines() if line.startswith("finwave-desktop: idle ")]
    check(len(counts) == 6, f"expected six idle reports:\n{output}")
    _, still, after_key, still_again, _, playing = counts
    check(still == 0, f"{still} frames drawn in 3 s with nothing happening")
    check(after_key > 0, "a key drew no frame")
    check(still_again == 0, f"{still_again} frames drawn in 2 s after the key had settled")
    # Software OpenGL on a loaded machine draws a few frames a second; any
    # frame here is one the simulation asked for.
    check(playing > 0, "no frame in 1 s of a playing simulation")
    return f"still: 0 frames in 3 s; after a key {after_key}; playing {playing} in 1 s"


def case_practice(binary, home):
    """A generated exercise on the desktop: wrong, again, right; the spaced
    review kept in the progress file and read back by the next run."""
    app = App(binary, home)
    tool = pathlib.Path(binary).resolve().parents[2] / "cli" / "finwave"
    check(tool.exists(), f"the finwave tool is needed beside the app: {tool}")
    exercise = json.loads(subprocess.run([str(tool), "practice", "--count", "1", "--seed", "5", "--level", "1", "--json"],
                                         capture_output=True, text=True, check=True).stdout)
    values = [c["value"] for c in exercise["question"]["choices"]]
    right = "ABCD"[values.index(exercise["answer"])]
    wrong = "A" if right != "A" else "B"
    card = "practice:1:5"
    state, _ = app.run("--practice", "5", "--level", "1", "--frames", "2", name="wrong", script=(
        f"answer exercise {wrong}\n"))
    check(state["practice"]["open"]["card"] == card, f"opened {state['practice']['open']}")
    today = state["practice"]["today"]
    check(state["practice"]["cards"][card] == {"box": 1, "due": today, "right": 0, "wrong": 1},
          f"after a wrong answer: {state['practice']['cards']}")
    saved = app.progress()
    check(saved["version"] == 2 and f"{card} box 1 due {today} right 0 wrong 1" in saved["review"],
          f"the progress file holds {saved}")

    png = ARTIFACTS / "desktop-practice.png"
    state, _ = app.run("--screenshot", png, name="again", script=(
        "practice\n"  # the one card due today comes back
        f"answer exercise {right}\n"))
    check(state["practice"]["open"]["card"] == card, f"'practice' opened {state['practice']['open']}, not the card due")
    card_state = state["practice"]["cards"][card]
    check(card_state["box"] == 2 and card_state["due"] > today and state["practice"]["due"] == 0,
          f"after the right answer: {state['practice']}")

    state, _ = app.run("--frames", "2", name="reopened")
    check(state["practice"]["cards"][card] == card_state, f"reopened with {state['practice']['cards']}")
    check(not state["notices"], f"unexpected notices: {state['notices']}")

    # A seed that is not a number: the browser's notice, and the app runs on.
    state, _ = app.run("--practice", "five", "--frames", "2", name="bad-seed")
    keys = [n["key"] for n in state["notices"]]
    check("notice.bad_practice" in keys and state["practice"]["open"] is None, f"notices {state['notices']}")
    return f"the schedule in {app.data / 'finwave' / 'progress.json'} as expected; {png.relative_to(ROOT)}"


CASES = {
    "idle": case_idle,
    "english": case_english,
    "chinese": case_chinese,
    "script": case_script,
    "corrupt-progress": case_corrupt_progress,
    "unsavable-progress": case_unsavable_progress,
    "no-lessons": case_no_lessons,
    "bad-usage": case_bad_usage,
    "practice": case_practice,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, type=pathlib.Path)
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args()
    for tool in ("xvfb-run", "xauth", "identify", "convert"):
        if shutil.which(tool) is None:
            sys.exit(f"desktop_test: {tool} is missing: run scripts/setup.sh (xvfb, xauth, imagemagick)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name in args.case or CASES:
        with tempfile.TemporaryDirectory(prefix=f"finwave-desktop-{name}-") as home:
            try:
                print(f"ok    {name}: {CASES[name](args.binary.resolve(), home)}")
            except Failure as failure:
                failed += 1
                print(f"FAIL  {name}: {failure}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
