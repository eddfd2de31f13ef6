"""The rendered site, checked in a real headless browser (Chromium)."""

import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from qnn_helpers import site

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Page(HTMLParser):
    """ids, links, images and the title of a rendered DOM."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.ids, self.links, self.images, self.title, self._in_title = set(), [], [], "", False
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make test` tries)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    browser = _browser()
    out = tmp_path_factory.mktemp("site")
    site.build(out)
    profile = tmp_path_factory.mktemp("profile")

    def load(name: str) -> Page:
        dom = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", (out / name).as_uri()],
            capture_output=True, text=True, timeout=120, check=True).stdout
        return Page(dom)

    pages = {"index.html": load("index.html")}
    for href in pages["index.html"].links:
        name = href.split("#")[0]
        if name and name not in pages:
            pages[name] = load(name) if (out / name).exists() else None
    return pages


def test_index_loads_and_links_every_chapter(rendered):
    index = rendered["index.html"]
    assert "Hybrid quantum neural networks" in index.title
    chapters = [p.stem for p in sorted(site.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]
    assert [h for h in index.links if h.endswith(".html")] == [f"{c}.html" for c in chapters]


def test_every_chapter_link_resolves(rendered):
    missing = [name for name, page in rendered.items() if page is None]
    assert not missing
    for name, page in rendered.items():
        assert page.title, name


def test_chapters_have_embedded_figures(rendered):
    for name, page in rendered.items():
        if name != "index.html":
            figures = [src for src in page.images if src.startswith("data:image/png")]
            assert figures, f"no figures in {name}"


def test_no_broken_anchors(rendered):
    for name, page in rendered.items():
        for href in page.links:
            target, _, anchor = href.partition("#")
            if not anchor or href.startswith("http"):
                continue
            target_page = rendered.get(target or name)
            assert target_page is not None and anchor in target_page.ids, f"{name}: {href}"
