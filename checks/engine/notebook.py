"""Reading a notebook file: its JSON, as nbformat would give it, without nbformat's cost."""
import json


class NotebookNode(dict):
    """A notebook's JSON as nested dicts whose keys read as attributes (cell.source), as
    nbformat gives them, without nbformat's import cost (seconds: its schema validation)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def _nodes(value):
    if isinstance(value, dict):
        return NotebookNode({key: _nodes(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_nodes(item) for item in value]
    return value


def read_notebook(path):
    """A version 4 notebook file; ValueError saying why when it is not one."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not text: {error}") from None
    return parse_notebook(text, path)


def parse_notebook(text, path="the notebook"):
    """A version 4 notebook from its JSON text; ValueError saying why when it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not a notebook (not JSON: {error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or data.get("nbformat") != 4:
        raise ValueError(f"{path} is not a version 4 notebook")
    notebook = _nodes(data)
    for cell in notebook.cells:
        if not isinstance(cell, dict) or "cell_type" not in cell:
            raise ValueError(f"{path} has a cell without a type")
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        cell.setdefault("source", "")
        cell.setdefault("metadata", NotebookNode())
    return notebook


def grade_id_of(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
