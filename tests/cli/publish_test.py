#!/usr/bin/python3
"""scripts/publish-site.py as a teacher runs it, on a small built site made
here (the page, the service worker and two fonts: no WebAssembly build
needed, so it runs with the native tests):

    tests/cli/publish_test.py FINWAVE_BINARY
"""
import gzip
import hashlib
import logging
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parents[2]
PUBLISH = ROOT / "scripts" / "publish-site.py"
DATA = ROOT / "tests" / "cli" / "data" / "lessons"
FINWAVE = None  # from the command line
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# In neither of the site's fonts made below.
NO_FONT = "\u9f98"  # 龘
# Only in the fallback font.
FALLBACK_ONLY = "\u7ffb"  # 翻


# fontTools names each table it drops from the test fonts (FFTM): not news.
logging.getLogger("fontTools").setLevel(logging.ERROR)


def font_of(characters, out):
    options = subset.Options()
    options.font_number = 0
    font = subset.load_font(WQY, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)
    subset.save_font(font, str(out), options)
    font.close()


def tree_digest(folder):
    """Every file's path and bytes: equal digests mean an unchanged folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def new_lesson(lessons, lang, lesson_id, answer="FIN-WAIT-2", extra=""):
    """A copy of the test lesson under a new id and file name."""
    text = (DATA / lang / "02-states-step-by-step.md").read_text(encoding="utf-8")
    text = text.replace("id: states-step-by-step", f"id: {lesson_id}", 1).replace("order: 2", "order: 9", 1)
    # The first question's written answer (a wrong one makes the check fail).
    text = re.sub(r"^answer: FIN-WAIT-2$", f"answer: {answer}", text, count=1, flags=re.M)
    if extra:  # a paragraph of the first step
        text = re.sub(r"^(## .*)$", lambda m: f"{m.group(1)}\n\n{extra}", text, count=1, flags=re.M)
    (lessons / lang / f"09-{lesson_id}.md").write_text(text, encoding="utf-8")


class Publish(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="finwave-publish-test-"))
        self.site = self.tmp / "site"
        (self.site / "assets" / "fonts").mkdir(parents=True)
        shutil.copy(ROOT / "index.html", self.site / "index.html")
        shutil.copy(ROOT / "web" / "page" / "sw.js", self.site / "sw.js")
        lesson_text = "".join(p.read_text(encoding="utf-8") for p in DATA.glob("*/*.md"))
        printable = "".join(chr(c) for c in range(0x20, 0x7F))
        font_of(printable + lesson_text, self.site / "assets" / "fonts" / "finwave-ui.ttf")
        font_of(printable + lesson_text + FALLBACK_ONLY, self.site / "assets" / "fonts" / "finwave-fallback.ttf")
        self.lessons = self.tmp / "lessons"
        shutil.copytree(DATA, self.lessons)
        # The site as scripts/build-web.sh leaves it: published once.
        self.run_publish(check=True)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_publish(self, *extra, check=False):
        result = subprocess.run([sys.executable, str(PUBLISH), "--finwave", FINWAVE, *extra, str(self.lessons), str(self.site)],
                                capture_output=True, text=True)
        if check:
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result

    def index(self):
        return json.loads((self.site / "lessons" / "index.json").read_text(encoding="utf-8"))["files"]

    def build(self):
        page = (self.site / "index.html").read_text(encoding="utf-8")
        worker = (self.site / "sw.js").read_text(encoding="utf-8")
        in_page = re.search(r'<meta name="finwave-build" content="([^"]*)"', page).group(1)
        in_worker = json.loads(re.search(r"^const BUILD = (.*);$", worker, re.M).group(1))
        self.assertEqual(in_page, in_worker)
        return in_page, json.loads(re.search(r"^const FILES = (.*);$", worker, re.M).group(1))

    def test_a_new_lesson_is_listed_kept_offline_and_compressed(self):
        first_build, _ = self.build()
        self.assertEqual(self.index(), ["en/02-states-step-by-step.md", "zh/02-states-step-by-step.md"])
        new_lesson(self.lessons, "en", "my-close")
        new_lesson(self.lessons, "zh", "my-close")
        result = self.run_publish(check=True)
        self.assertIn("all answers verified", result.stdout)
        self.assertIn("new: en/09-my-close.md, zh/09-my-close.md", result.stdout)
        self.assertIn("en/09-my-close.md", self.index())
        self.assertIn("zh/09-my-close.md", self.index())
        build, files = self.build()
        self.assertNotEqual(build, first_build, "a new build id, so returning visitors get a new service worker")
        self.assertIn("lessons/en/09-my-close.md", files)
        self.assertIn("lessons/index.json", files)
        # The server's copies say what the files say, not what they said.
        for name in ("lessons/index.json", "lessons/en/09-my-close.md", "index.html", "sw.js"):
            plain = (self.site / name).read_bytes()
            self.assertEqual(gzip.decompress((self.site / (name + ".gz")).read_bytes()), plain, name)
        # Nothing left beside the site.
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["lessons", "site"])

    def test_the_same_lessons_give_the_same_build(self):
        first, _ = self.build()
        self.run_publish(check=True)
        self.assertEqual(self.build()[0], first)

    def test_a_wrong_answer_stops_publish_and_leaves_the_site_as_it_was(self):
        before = tree_digest(self.site)
        new_lesson(self.lessons, "en", "my-close", answer="TIME-WAIT")
        new_lesson(self.lessons, "zh", "my-close")
        result = self.run_publish()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        # The checker's own message: file and line of the written answer.
        self.assertRegex(result.stdout, r"en/09-my-close\.md:[0-9]+: .*TIME-WAIT")
        self.assertIn("the lessons check failed", result.stderr)
        self.assertIn("is unchanged", result.stderr)
        self.assertEqual(tree_digest(self.site), before)
        self.assertNotIn("en/09-my-close.md", self.index())
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()), ["lessons", "site"])

    def test_a_lesson_that_does_not_parse_is_named_with_its_line(self):
        before = tree_digest(self.site)
        (self.lessons / "en" / "09-broken.md").write_text("---\nid: broken\ntitle: Broken\norder: 9\n---\n\n## Step\n\n```question\nkind: nonsense\n```\n",
                                                         encoding="utf-8")
        result = self.run_publish()
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"en/09-broken\.md:[0-9]+:")
        self.assertEqual(tree_digest(self.site), before)

    def test_characters_no_font_has_are_named_with_file_and_line(self):
        line = f"A character in the fallback font only: {FALLBACK_ONLY}; in none: {NO_FONT}."
        new_lesson(self.lessons, "en", "my-close", extra=line)
        new_lesson(self.lessons, "zh", "my-close")
        result = self.run_publish(check=True)
        number = next(i for i, text in enumerate((self.lessons / "en" / "09-my-close.md").read_text(encoding="utf-8").splitlines(), 1)
                      if text == line)
        self.assertIn(f"lessons/en/09-my-close.md:{number}: warning: no font of the site has {NO_FONT} (U+9F98)", result.stdout)
        self.assertRegex(result.stdout, f"fonts: 1 characters are not in the site's subset.*: {FALLBACK_ONLY}\n")

    def test_not_a_site_and_no_lessons_are_refused_clearly(self):
        result = subprocess.run([sys.executable, str(PUBLISH), "--finwave", FINWAVE, str(self.lessons), str(self.tmp / "nowhere")],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn("is not a built FinWave site", result.stderr)
        result = subprocess.run([sys.executable, str(PUBLISH), "--finwave", FINWAVE, str(self.tmp / "nope"), str(self.site)],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no lessons folder", result.stderr)
        result = subprocess.run([sys.executable, str(PUBLISH), "--finwave", str(self.tmp / "no-such-tool"), str(self.lessons), str(self.site)],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn("no finwave command for the lessons check", result.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: publish_test.py FINWAVE_BINARY")
    FINWAVE = sys.argv.pop(1)
    unittest.main(verbosity=2)
