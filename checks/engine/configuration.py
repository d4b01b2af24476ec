"""How a course grades: its nbgrader_config.py, read once, and the one factory of the grader.

nbgrader's autograde, `nn-grade grade` (whose workers run autograde) and `nn-grade grade-file`
all build the sandbox and the grading settings here, from the course's `c.GradeInSandbox`
settings, so a notebook gets the same limits and the same scores whichever way it is graded.
The defaults live in one place: Settings (checks/engine/grader.py) and Limits
(checks/engine/sandbox.py).
"""
import ast
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from .grader import Settings
from .sandbox import Limits, Sandbox, grader_package_dirs


@dataclass(frozen=True)
class GradingConfig:
    """What a course may set of grading (`c.GradeInSandbox.<name>` in nbgrader_config.py)."""
    cell_timeout: float = Settings.cell_timeout              # seconds for one test cell, or one answer cell to load
    submission_timeout: float = Settings.submission_timeout  # seconds for all the tests of one notebook
    memory_limit_mb: int = Limits.memory_bytes // 2**20      # address-space cap of the student's process
    max_processes: int = Limits.max_processes                # processes the student's code may run at once
    use_bwrap: bool = True                                   # isolate files, network and PIDs with bubblewrap
    use_cgroups: bool = True                                 # cap processes and memory with a cgroup
    require_isolation: bool = False                          # refuse to grade when a mechanism is missing
    hidden_paths: tuple = ()                                 # more paths student code must not see

    @classmethod
    def of(cls, config):
        """From a traitlets Config (a course's nbgrader_config.py, loaded): its GradeInSandbox
        section, the defaults for what it leaves out."""
        section = config.get("GradeInSandbox", {}) if config is not None else {}
        values = {item.name: section[item.name] for item in dataclasses.fields(cls) if item.name in section}
        if "hidden_paths" in values:
            values["hidden_paths"] = tuple(values["hidden_paths"])
        return cls(**values)

    def settings(self):
        return Settings(cell_timeout=float(self.cell_timeout), submission_timeout=float(self.submission_timeout))

    def sandbox(self, course_dir=None, db_url=""):
        """The sandbox: the grader's packages, the course directory and a sqlite gradebook hidden,
        and the course's own hidden paths; the memory and process caps set."""
        hidden = grader_package_dirs()
        if course_dir is not None:
            hidden.append(os.path.abspath(course_dir))
        if db_url.startswith("sqlite:///"):
            hidden.append(os.path.abspath(db_url[len("sqlite:///"):]))
        limits = Limits(memory_bytes=int(self.memory_limit_mb) * 2**20, max_processes=int(self.max_processes))
        return Sandbox(hidden=hidden + list(self.hidden_paths), limits=limits, use_bwrap=self.use_bwrap,
                       use_cgroups=self.use_cgroups)


def course_grading_config(course_dir):
    """The GradingConfig of a course directory's nbgrader_config.py."""
    return GradingConfig.of({"GradeInSandbox": course_settings(course_dir, "GradeInSandbox")})


def course_settings(course_dir, section):
    """{name: value} of the `c.<section>.<name> = ...` lines of a course's nbgrader_config.py. The
    literal ones are read without running the file (which imports nbgrader: a second of start-up
    that `nn-grade grade-file` need not pay); when one is computed at run time, or set inside a
    block, the file is run as nbgrader runs it."""
    path = Path(course_dir) / "nbgrader_config.py"
    if not path.exists():
        return {}
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    top_level = {id(statement) for statement in tree.body}
    values = {}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            name = _setting_of(target, section)
            if name is None:
                continue
            try:
                if id(node) not in top_level or len(targets) != 1:
                    raise ValueError(name)
                values[name] = ast.literal_eval(node.value)
            except ValueError:
                return dict(load_course_config(course_dir).get(section, {}))
    return values


def _setting_of(target, section):
    """`name` for a target `c.<section>.name`, else None."""
    if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute)
            and target.value.attr == section and isinstance(target.value.value, ast.Name)):
        return target.attr
    return None


def load_course_config(course_dir, db_url=""):
    """The course's nbgrader_config.py as a traitlets Config (an empty one if it has none), with
    the course directory as its root and, when given, the gradebook's database URL."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    has_config = (Path(course_dir) / "nbgrader_config.py").exists()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config() \
        if has_config else Config()
    config.CourseDirectory.root = str(course_dir)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


def course_db_url(course_dir, db_url=""):
    """The gradebook's database URL: the one given, else the course's (its config's db_url, else
    nbgrader's default, gradebook.db in the course directory)."""
    from nbgrader.coursedir import CourseDirectory
    return db_url or CourseDirectory(config=load_course_config(course_dir)).db_url
