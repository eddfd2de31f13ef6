"""The documentation site (tools/build_site.py), built once and checked in headless Chromium.

Every page is loaded in the browser and checked in the DOM it ends up with, after its
scripts ran: links and anchors, figures, navigation, the JavaScript search, downloads.
"""

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tools.repo import REPO, chapters

CHAPTERS = [p.stem for p in chapters()]
SITE_TITLE = "Hybrid QNNs on Fashion-MNIST"  # html_title in docs/conf.py

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         # Nothing leaves the machine: every host name but the loopback fails to resolve.
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         # ... and a request to an IP address goes to a closed local port (refused).
         "--proxy-server=127.0.0.1:9",
         # Let deferred scripts (theme, search) run before the DOM is written out.
         "--virtual-time-budget=10000"]
SKIP_SCHEMES = ("http:", "https:", "mailto:", "javascript:", "data:")


class Page(HTMLParser):
    """What a test needs from a rendered DOM."""

    def __init__(self, dom: str) -> None:
        super().__init__(convert_charrefs=True)
        self.dom = dom
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []     # (tag, href or src)
        self.anchors: list[dict] = []             # attributes of every <a href>
        self.images: list[str] = []
        self.title, self.text = "", []
        self._in_title = self._in_code = False
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.refs.append((tag, attrs[key]))
        if tag == "a" and attrs.get("href"):
            self.anchors.append(attrs)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        self._in_title = tag == "title"
        self._in_code = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._in_title = self._in_code = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._in_code:
            self.text.append(data)

    def plain_text(self) -> str:
        """The visible text, whitespace collapsed and typographic quotes made plain."""
        text = " ".join("".join(self.text).split())
        return text.translate(str.maketrans("‘’“”", "''\"\""))

    def links_with_class(self, cls: str) -> list[str]:
        return [a["href"] for a in self.anchors if cls in (a.get("class") or "").split()]


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make test` tries)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the site once with the real command; return (folder, load(url) -> Page)."""
    browser = _browser()
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "tools.build_site", str(out),
                    "--work", str(tmp_path_factory.mktemp("site-work"))],
                   check=True, cwd=REPO, timeout=600)
    profile = tmp_path_factory.mktemp("profile")

    def load(name: str) -> Page:
        url = (out / name.split("?")[0]).as_uri() + ("?" + name.split("?")[1] if "?" in name
                                                    else "")
        run = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, f"chromium failed on {name}: {run.stderr[-2000:]}"
        return Page(run.stdout)

    return out, load


@pytest.fixture(scope="module")
def pages(site):
    """Every HTML page of the site, as the browser rendered it (not the theme's templates)."""
    out, load = site
    names = [p.relative_to(out).as_posix() for p in sorted(out.rglob("*.html"))]
    return {name: load(name) for name in names if not name.startswith(("_static/", "_sources/"))}


def test_every_page_loads(site, pages):
    out, _ = site
    expected = {"index.html", "results.html", "downloads.html", "facilitator.html",
                "search.html", *(f"notebooks/{c}.html" for c in CHAPTERS)}
    assert expected <= set(pages), f"missing pages: {sorted(expected - set(pages))}"
    for name, page in pages.items():
        assert SITE_TITLE in page.title, f"{name}: title {page.title!r}"
        assert 'id="main-content"' in page.dom, f"{name}: no main content"
        assert len(page.plain_text()) > 200, f"{name}: nearly empty"


def test_no_page_loads_anything_from_another_host(pages):
    for name, page in pages.items():
        remote = [ref for tag, ref in page.refs
                  if tag != "a" and ref.startswith(("http:", "https:", "//"))]
        assert not remote, f"{name} loads from another host: {remote}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_formulas_render_with_the_network_cut(site, pages, chapter):
    out, _ = site
    built = (out / "notebooks" / f"{chapter}.html").read_text()
    formulas = built.count('class="math notranslate nohighlight"')
    page = pages[f"notebooks/{chapter}.html"]
    rendered = page.dom.count("<mjx-container")
    assert rendered >= formulas, f"{chapter}: {rendered} of {formulas} formulas rendered"
    if chapter.startswith("02"):  # the circuit chapter writes its gates as formulas
        assert formulas > 10, "no formulas found: has the math markup changed?"
    text = page.plain_text()
    assert not any(raw in text for raw in ("\\(", "\\[", "$$")), f"{chapter}: raw TeX left"


def _resolve(out: Path, page_name: str, ref: str) -> tuple[Path, str]:
    """The local file and anchor that ``ref`` on page ``page_name`` points to."""
    url = urlsplit(urljoin((out / page_name).as_uri(), ref))
    path = Path(unquote(url.path))
    if path.is_dir():
        path = path / "index.html"
    return path, unquote(url.fragment)


def test_no_broken_internal_links(site, pages):
    out, _ = site
    broken, checked = [], 0
    for name, page in pages.items():
        for tag, ref in page.refs:
            if ref.startswith(SKIP_SCHEMES) or ref == "#":
                continue
            path, anchor = _resolve(out, name, ref)
            checked += 1
            if not path.is_relative_to(out) or not path.is_file():
                broken.append(f"{name}: <{tag}> {ref} (no file)")
            elif anchor and path.suffix == ".html":
                target = pages[path.relative_to(out).as_posix()]
                if anchor not in target.ids:
                    broken.append(f"{name}: <{tag}> {ref} (no anchor #{anchor})")
    assert checked > 100, f"only {checked} local references found: is the DOM empty?"
    assert not broken, "\n".join(broken)


def test_search_finds_chapter_03(site):
    _, load = site
    page = load("search.html?q=re-uploading")
    found = re.search(r'<ul[^>]*class="search"[^>]*>(.*?)</ul>', page.dom, re.S)
    assert found, "no search results list: the search script did not run"
    hits = re.findall(r'href="([^"#?]+)', found.group(1))
    assert "notebooks/03_data_reuploading.html" in hits, hits
    # ... and the search really searches: a word from no page finds nothing.
    nothing = load("search.html?q=xylophonequark")
    assert 'class="search-summary"' in nothing.dom, "the search script did not finish"
    assert not re.search(r'<ul[^>]*class="search"[^>]*>\s*<li', nothing.dom)


def _png_outputs(chapter: str) -> int:
    nb = json.loads((REPO / "notebooks" / f"{chapter}.ipynb").read_text())
    return sum("image/png" in out.get("data", {})
               for cell in nb["cells"] for out in cell.get("outputs", []))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shows_its_figures(site, pages, chapter):
    out, _ = site
    name = f"notebooks/{chapter}.html"
    figures = []
    for src in pages[name].images:
        path, _ = _resolve(out, name, src)
        assert path.is_file(), f"{name}: image {src} missing"
        if path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n":
            figures.append(src)
    expected = _png_outputs(chapter)
    assert len(figures) >= expected, f"{name}: {len(figures)} figures, notebook has {expected}"
    if expected:
        assert figures


def test_navigation_runs_through_the_chapters_in_order(pages):
    index = pages["index.html"]
    sidebar = [h for h in index.links_with_class("reference")
               if h.startswith("notebooks/")]
    assert list(dict.fromkeys(sidebar)) == [f"notebooks/{c}.html" for c in CHAPTERS]
    for before, after in zip(CHAPTERS, CHAPTERS[1:], strict=False):
        assert pages[f"notebooks/{before}.html"].links_with_class("right-next") == \
            [f"{after}.html"]
        assert pages[f"notebooks/{after}.html"].links_with_class("left-prev") == \
            [f"{before}.html"]
    for chapter in CHAPTERS:  # every chapter page links every other chapter in its sidebar
        links = pages[f"notebooks/{chapter}.html"].links_with_class("reference")
        assert {f"{c}.html" for c in CHAPTERS if c != chapter} <= set(links), chapter


def test_downloads_are_the_learner_and_solution_notebooks(site, pages):
    out, _ = site
    wanted = {p.read_bytes(): p.relative_to(REPO).as_posix()
              for folder in ("exercises", "notebooks")
              for p in chapters(REPO / folder)}
    offered = set()
    for href in pages["downloads.html"].links_with_class("download"):
        path, _ = _resolve(out, "downloads.html", href)
        offered.add(wanted.get(path.read_bytes(), f"not a repository notebook: {href}"))
    assert offered == set(wanted.values())


def test_results_page_includes_results_md(pages):
    text = pages["results.html"].plain_text()
    rows = [line for line in (REPO / "results" / "results.md").read_text().splitlines()
            if line.startswith("|") and not set(line) <= set("|-: ")]  # no separator
    assert rows
    for row in rows:
        for cell in row.strip("|").split("|"):
            cell = " ".join(cell.replace("`", "").replace("**", "").split())  # as rendered
            assert cell in text, f"results page lacks {cell!r}"


def test_landing_page_and_facilitator_notes(pages):
    readme = (REPO / "README.md").read_text()
    intro = readme.split("\n\n")[1]  # the paragraph under the title
    assert " ".join(intro.split()) in pages["index.html"].plain_text()
    assert "facilitator.html" in pages["index.html"].links_with_class("reference")
    facilitator = (REPO / "docs" / "facilitator.md").read_text()
    for heading in re.findall(r"^## (.+)$", facilitator, re.M):
        assert heading in pages["facilitator.html"].plain_text()
