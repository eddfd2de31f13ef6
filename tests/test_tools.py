"""The publishing tools: clean committed notebooks, measured run times in the chapters."""

import os

import nbformat

from tools import series


def test_clean_notebook_keeps_kernel_and_drops_run_metadata():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "x", "display_name": "X"},
                                            "widgets": {}})
    cell = nbformat.v4.new_code_cell("fit()", metadata={"execution": {"t": "1"}})
    nb.cells = [cell]
    out = series.clean_notebook(nb)
    assert set(out.metadata) == {"kernelspec"} and out.metadata.kernelspec.name == "python3"
    assert out.cells[0].metadata == {}


def test_run_time_line_states_measured_times():
    line = series.run_time_line(312.0, 75.0)
    assert line.startswith("**Run time:**") and series.RUN_TIME.fullmatch(line)
    assert "about 5.2 min at full size" in line and "75 s in quick mode" in line
    assert "quick" not in series.run_time_line(40.0, None)


def test_first_run_cache_is_empty_but_links_the_data(tmp_path, monkeypatch):
    (tmp_path / "fashion-mnist").mkdir()
    (tmp_path / "models").mkdir()
    monkeypatch.setenv("QNN_CACHE_DIR", str(tmp_path))
    with series.first_run_cache() as folder:
        assert os.environ["QNN_CACHE_DIR"] == str(folder) != str(tmp_path)
        assert sorted(p.name for p in folder.iterdir()) == ["fashion-mnist"]  # no models
        assert (folder / "fashion-mnist").resolve() == tmp_path / "fashion-mnist"
    assert os.environ["QNN_CACHE_DIR"] == str(tmp_path)
    assert not folder.exists()


def test_series_kernels_do_not_warn_of_plain_text_connections(tmp_path, capfd):
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]),
                   path)
    nb, _, _ = series.run(path, timeout=120)
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    # the kernel logs to the stderr it inherits (captured here with this process's)
    assert "without encryption" not in capfd.readouterr().err
