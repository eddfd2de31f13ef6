"""The publishing tools: committed outputs are cleaned as a terminal would show them."""

import nbformat

from tools import series


def test_progress_bar_redraws_collapse_to_their_final_state():
    text = "4 labels:   0%|          | 0/3000\r4 labels:  50%|#####     | 1500/3000\r" \
           "4 labels: 100%|##########| 3000/3000\ntest accuracy 0.95\n"
    assert series.collapse_carriage_returns(text) == (
        "4 labels: 100%|##########| 3000/3000\ntest accuracy 0.95\n")


def test_clean_notebook_keeps_kernel_and_drops_run_metadata():
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "x", "display_name": "X"},
                                            "widgets": {}})
    cell = nbformat.v4.new_code_cell("fit()", metadata={"execution": {"t": "1"}})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a\rb\n")]
    nb.cells = [cell]
    out = series.clean_notebook(nb)
    assert set(out.metadata) == {"kernelspec"} and out.metadata.kernelspec.name == "python3"
    assert out.cells[0].metadata == {} and out.cells[0].outputs[0].text == "b\n"


def test_run_time_line_states_measured_times():
    line = series.run_time_line(312.0, 75.0)
    assert line.startswith("**Run time:**") and series.RUN_TIME.fullmatch(line)
    assert "about 5 min at full size" in line and "75 s in quick mode" in line
    assert "quick" not in series.run_time_line(40.0, None)
