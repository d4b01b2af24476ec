"""The student's own outputs in the autograded notebook: kept beside what grading wrote, never a script.

KeepSubmittedOutputs (checks/engine/outputs.py) in ClearOutput's place among autograde's
sanitizing steps; the formgrader and the feedback show what it keeps (tests/test_browser.py).
"""
import base64

import nbformat

from checks.engine.outputs import KeepSubmittedOutputs

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256))).decode()


def code_cell(outputs, nbgrader=None):
    cell = nbformat.v4.new_code_cell("x = 1", execution_count=3)
    cell.outputs = [nbformat.from_dict(output) for output in outputs]
    if nbgrader:
        cell.metadata["nbgrader"] = nbgrader
    return cell


def kept(*cells, **settings):
    notebook = nbformat.v4.new_notebook(cells=list(cells))
    KeepSubmittedOutputs(**settings).preprocess(notebook, {})
    return [cell.outputs for cell in notebook.cells]


def test_a_test_cells_outputs_are_cleared_and_the_students_figures_kept():
    test = code_cell([{"output_type": "stream", "name": "stdout", "text": "all tests passed"}],
                     {"grade": True, "solution": False, "grade_id": "linear_forward", "points": 2})
    experiment = code_cell([{"output_type": "stream", "name": "stdout", "text": "loss 0.1\n"},
                            {"output_type": "display_data", "metadata": {"image/png": {"width": 400}},
                             "data": {"image/png": PNG, "text/plain": "<Figure>"}},
                            {"output_type": "execute_result", "execution_count": 3, "metadata": {},
                             "data": {"text/plain": "42"}}])
    test_outputs, experiment_outputs = kept(test, experiment)
    assert test_outputs == []
    assert [output.output_type for output in experiment_outputs] == ["stream", "display_data", "execute_result"]
    assert experiment_outputs[1].data == {"image/png": PNG, "text/plain": "<Figure>"}


def test_what_could_run_a_script_on_the_instructors_page_is_dropped():
    cell = code_cell([
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<script>steal()</script>"}},
        {"output_type": "display_data", "metadata": {}, "data": {"application/javascript": "steal()"}},
        {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": "<svg onload='steal()'/>"}},
        {"output_type": "display_data", "metadata": {"filenames": {"image/png": "http://tracker/x.png"}},
         "data": {"image/png": PNG + '" onerror="steal()'}},
        {"output_type": "display_data", "metadata": {},
         "data": {"text/html": "<b>table</b>", "text/plain": "the table as text"}}])
    (outputs,) = kept(cell)
    assert [dict(output.data) for output in outputs] == [{"text/plain": "the table as text"}]
    assert all(output.metadata == {} for output in outputs)


def test_a_notebook_keeps_a_bounded_size_of_outputs_and_says_what_it_left_out():
    big = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "A" * 600}}
    first, second = kept(code_cell([big, big]), code_cell([big]), max_characters=1000)
    assert len(first) == 2 and "image/png" in first[0].data and "left out" in first[1].text
    assert len(second) == 1 and "left out" in second[0].text
