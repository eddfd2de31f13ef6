"""Sphinx configuration of the tutorial's site: ``python tools/build_site.py`` (``make site``).

The site is built from a staged copy of the repository, ``build/site-src/`` (see
tools/build_site.py), laid out like this:

    conf.py, index.md, results.md, downloads.md, facilitator.md   <- docs/
    notebooks/NN_*.ipynb                                           <- notebooks/ (the chapters)
    exercises/NN_*.ipynb                                           <- exercises/ (downloads only)
    results/results.md                                             <- results/ (included)
    README.md                                                      <- README.md (included)

so paths in the pages of docs/ are relative to that staged root.
"""

project = "Hybrid quantum neural networks on Fashion-MNIST"

# sphinx-mathjax-offline ships MathJax 3 (Apache 2.0) and copies it into _static/mathjax/, so
# formulas render with no network (Sphinx's default loads MathJax from a CDN).
extensions = ["myst_nb", "sphinx-mathjax-offline"]

root_doc = "index"
# Only the pages and the chapters are documents; the rest is included or downloaded.
exclude_patterns = ["README.md", "results/**", "exercises/**", "**.ipynb_checkpoints",
                    "Thumbs.db", ".DS_Store"]

# The committed notebooks are already executed (make series); the site never runs them.
nb_execution_mode = "off"
# One output block per stream: progress bars (tqdm writes \r-updates) read as a few lines.
nb_merge_streams = True

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
# Chapter headings get anchors, so sections can be linked as notebooks/NN_x.html#slug.
myst_heading_anchors = 3

# No network at build time or when reading: no intersphinx, no remote images or scripts, nothing
# fetched by the theme (tests/test_site.py checks every page with the network cut).
html_theme = "sphinx_book_theme"
html_title = "Hybrid QNNs on Fashion-MNIST"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,   # each chapter page offers its .ipynb
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    # pydata-sphinx-theme 0.20 adds a top bar holding only a second search button; the
    # sidebar has the search field already.
    "navbar_persistent": [],
    "footer_content_items": [],  # no author line
}
html_last_updated_fmt = None
html_show_copyright = False
html_copy_source = True
html_show_sourcelink = False
