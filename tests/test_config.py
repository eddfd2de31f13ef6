"""Quick mode is one switch, and a chapter's checks print for learners and raise for CI."""

import numpy as np
import pytest

from qnn_helpers import checks, config


@pytest.mark.parametrize(("value", "quick"), [("1", True), ("yes", True), (" TRUE ", True),
                                              ("On", True), ("0", False), ("", False),
                                              ("false", False), ("No", False), (None, False)])
def test_quick_mode_switch(monkeypatch, capsys, value, quick):
    if value is None:
        monkeypatch.delenv("QNN_QUICK", raising=False)
    else:
        monkeypatch.setenv("QNN_QUICK", value)
    assert config.is_quick() is quick
    assert config.pick(full=60000, quick=4000) == (4000 if quick else 60000)
    line = config.announce()
    assert capsys.readouterr().out.strip() == line
    assert ("Quick mode" in line) is quick


@pytest.mark.parametrize(("chosen", "env", "quick"), [(True, None, True), (False, None, False),
                                                     (True, "0", False), (False, "1", True)])
def test_the_chapters_quick_switch_unless_the_environment_sets_one(monkeypatch, capsys, chosen,
                                                                   env, quick):
    """``QUICK = True`` in a chapter's first cell: quick mode, unless ``QNN_QUICK`` is set."""
    monkeypatch.setattr(config, "_chosen", None)
    if env is None:
        monkeypatch.delenv("QNN_QUICK", raising=False)
    else:
        monkeypatch.setenv("QNN_QUICK", env)
    line = config.announce(chosen)
    assert config.is_quick() is quick and ("Quick mode" in line) is quick
    assert ("wins over QUICK" in line) is (env is not None and chosen != quick)
    with pytest.raises(TypeError, match="QUICK must be True or False, got 'yes'"):
        config.use_quick("yes")


@pytest.mark.parametrize("value", ["maybe", "2", "ja", "quick"])
def test_an_unknown_value_of_a_switch_is_an_error(monkeypatch, value):
    monkeypatch.setenv("QNN_QUICK", value)
    with pytest.raises(ValueError, match=f"QNN_QUICK='{value}' is neither yes nor no: "
                                         "set QNN_QUICK=1 .* or QNN_QUICK=0"):
        config.pick(full=60000, quick=4000)
    monkeypatch.setenv("QNN_STRICT", value)
    with pytest.raises(ValueError, match=f"QNN_STRICT='{value}' is neither yes nor no"):
        checks.check(True, "accuracy above 0.9")  # refused even where the check holds


def test_check_prints_and_raises_only_when_strict(monkeypatch, capsys):
    monkeypatch.delenv("QNN_STRICT", raising=False)
    assert checks.check(1 > 0, "one is positive")
    assert not checks.check(0.5 > 0.9, "accuracy above 0.9")
    assert capsys.readouterr().out == "✓ one is positive\n✗ accuracy above 0.9\n"
    monkeypatch.setenv("QNN_STRICT", "1")
    assert checks.check(True, "fine")
    with pytest.raises(checks.CheckFailed, match="accuracy above 0.9"):
        checks.check(False, "accuracy above 0.9")


def test_compare_checks_the_learners_piece_and_goes_on_with_the_packages(monkeypatch, capsys):
    def package(x):
        return [np.sin(x), np.cos(x)]

    def blank(x):
        raise NotImplementedError("write it")

    def wrong(x):
        return [np.sin(x), np.cos(x) + 1e-3]

    def run(f):
        return f(np.linspace(0, 1, 4))

    monkeypatch.setenv("QNN_STRICT", "1")
    assert checks.compare("f", package, package, run) is package
    assert "✓ f gives the package's results" in capsys.readouterr().out
    assert checks.compare("f", blank, package, run) is package  # a blank is not an error
    assert "✗ f is not written yet" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match="largest difference 0.001"):
        checks.compare("f", wrong, package, run)
    with pytest.raises(checks.CheckFailed, match="shapes"):
        checks.compare("f", lambda x: [np.sin(x)], package, run)
    monkeypatch.setenv("QNN_STRICT", "0")
    assert checks.compare("f", lambda x: 1 / 0, package, run) is package
    assert "✗ f raised ZeroDivisionError" in capsys.readouterr().out


def test_doctor_finds_the_tested_versions_installed():
    from qnn_helpers import doctor

    found, problems = doctor.versions()
    assert problems == [], problems
    assert found["tensorflow"] == doctor.TESTED["tensorflow"]  # tensorflow-cpu on Linux


def test_a_piece_that_passes_its_judge_is_the_one_the_cells_below_use(monkeypatch, capsys):
    monkeypatch.setenv("QNN_STRICT", "1")

    def judge(f):
        if f(2) != 4:
            raise checks.Mistake(f"doubles 2 to {f(2)}, not 4: multiply by 2")
        return "doubles its input"

    def mine(x):
        return x + x

    def package(x):
        return 2 * x

    assert checks.piece("double", mine, package, judge) is mine
    assert capsys.readouterr().out == "✓ double doubles its input: the cells below use yours\n"

    def blank(x):
        raise NotImplementedError("write double")

    assert checks.piece("double", blank, package, judge) is package  # no error when strict
    assert "still blank: the cells below use the package's double" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match="doubles 2 to 3, not 4: multiply by 2; the "
                                                 "cells below use the package's double"):
        checks.piece("double", lambda x: x + 1, package, judge)
    monkeypatch.delenv("QNN_STRICT")
    assert checks.piece("double", lambda x: x / 0, package, judge) is package
    assert "double raised ZeroDivisionError" in capsys.readouterr().out
