"""requirements.txt is a real lock of pyproject's ranges, and environment.yml installs it.

The lock is made (``make lock``) on Linux x86_64, where CI runs: it is checked
against the dependencies that apply on the platform running the tests.
"""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.repo import REPO

PINNED = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PINNED.match(line)
        assert match, f"not an exact pin: {line!r}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    reqs = [Requirement(r) for r in reqs]
    return [r for r in reqs if r.marker is None or r.marker.evaluate()]  # this platform's


def test_every_declared_dependency_is_pinned_inside_its_range():
    pins = _pins()
    for req in _declared():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared in pyproject.toml but not pinned"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} is outside pyproject's range {req.specifier}")


def test_transitive_packages_are_pinned_too():
    pins = _pins()
    # a few that no pyproject range names, pulled in by pooch, tensorflow and nbconvert
    assert {"requests", "protobuf", "mistune"} <= set(pins)
    assert len(pins) > 2 * len(_declared())


def test_environment_yml_installs_the_lock():
    text = (REPO / "environment.yml").read_text()
    assert re.search(r"^\s+- -r requirements\.txt\s*$", text, re.M)
    python = re.search(r"^\s+- python=(\d+\.\d+)", text, re.M)[1]
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert Requirement(f"python{requires}").specifier.contains(python + ".0")
