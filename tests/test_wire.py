"""What crosses between the grader and the sandboxed student process arrives unchanged.

Every kind of value is sent both ways through a real student process (the sandbox the
grader uses) and compared with the same value in-process: its type, dtype, shape and
value. Values that cannot cross as data give a message that names them.
"""
import os
import struct

import numpy as np
import pytest

from checks.engine.remote import Zygote
from checks.engine.sandbox import Sandbox, grader_package_dirs
from checks.protocol.wire import (MAX_VALUE_BYTES, ProtocolError, StudentError, UncrossableValue,
                                  read_message)
from checks.kit import GradingFailure, call, describe
from checks.protocol.words import where_in_words

# The same source builds the values on both sides, so each side can compare with its own copy.
VALUES_SOURCE = '''
import numpy as np

_base = np.arange(24, dtype=np.float64).reshape(4, 6) / 7
SCALAR_TYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                np.uint64, np.float16, np.float32, np.float64, np.longdouble, np.complex64,
                np.complex128]
VALUES = {
    "None": None, "True": True, "False": False, "int": -7, "big int": 2**70, "float": 0.1,
    "negative zero": -0.0, "nan": float("nan"), "inf": float("-inf"), "str": "d L / d W", "empty str": "",
    "complex": complex(1.5, -2.0),
    **{f"numpy scalar {t.__name__}": t(3) for t in SCALAR_TYPES},
    "numpy str": np.str_("abc"), "numpy datetime": np.datetime64("2024-01-02"),
    "numpy timedelta": np.timedelta64(5, "s"), "numpy nan": np.float64("nan"),
    "sum of an int array": np.sum(np.arange(4)),
    **{f"0-d array {d}": np.array(2, dtype=d) for d in ("float64", "int64", "bool", "float32")},
    "float64 array": _base, "float32 array": _base.astype(np.float32),
    "int32 array": np.arange(6, dtype=np.int32).reshape(2, 3), "bool array": _base > 1,
    "big-endian array": _base.astype(">f8"), "Fortran-ordered array": np.asfortranarray(_base),
    "non-contiguous view": _base[:, ::2], "negative-stride view": _base[::-1, ::-2],
    "transposed view": _base.T, "empty array": np.zeros((0, 3)), "1-element array": np.array([4.0]),
    "int labels (N,)": np.array([0, 2, 1, 2]),
    "tuple": (1, 2.5, np.float32(1.5), _base[:1]), "list": [np.int64(3), [None, "x"], np.zeros(2)],
    "dict": {"train_loss": [0.5, np.float64(0.25)], "val_accuracy": np.array([0.9, 0.95])},
    "dict with int keys": {0: "zero", 1: np.int8(1)}, "empty list": [], "empty tuple": (),
    "nested tuple": ((1,), ((2.0,),)),
}
'''

HELPERS_SOURCE = '''
def fingerprint(value):
    """A description of value that two sides can compare as a string: type, dtype, shape, bytes."""
    if isinstance(value, np.ndarray):
        return f"ndarray {value.dtype.str} {value.shape} {value.tobytes().hex()}"
    if isinstance(value, np.generic):
        return f"{type(value).__name__} {value.dtype.str} {np.asarray(value).tobytes().hex()}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[{', '.join(fingerprint(item) for item in value)}]"
    if isinstance(value, dict):
        return "dict{" + ", ".join(f"{fingerprint(k)}: {fingerprint(v)}" for k, v in value.items()) + "}"
    return f"{type(value).__name__} {value!r}"


def value_named(name):
    return VALUES[name]


def echo(value):
    return value


def fill_first(func, X):
    """As a student's check_gradient does: put what func returns into a float array."""
    gradient = np.zeros(X.shape)
    gradient[0, 0] = func(X)
    return gradient


def object_array():
    return np.array([np.zeros(2), np.zeros(3)], dtype=object)


def too_large():
    return np.zeros(MAX_VALUE_BYTES // 8 + 1)


def returns_a_function():
    return echo


def batches(n):
    for start in range(0, n, 2):
        yield np.arange(start, min(start + 2, n))


def opens_a_missing_file():
    return np.load("no-such-file.npz")


def passes_an_object_array(func):
    return func(np.array([1, "a"], dtype=object))


def permutation_of(n, rng):
    """As students write iterate_minibatches: numpy's documented idioms for a Generator argument."""
    import copy
    rng = np.random.default_rng(rng)  # a Generator is returned unchanged
    spare = copy.deepcopy(rng)        # a copy in the same state
    order = rng.permutation(n)
    return order, spare.permutation(n), type(rng).__name__


def draws(rng, n):
    return rng.random(n)


def draws_lazily(rng, n):
    """A generator function: it draws only when the caller steps it."""
    yield rng.random(n)


def sets_an_attribute(obj, name, value):
    setattr(obj, name, value)


def calls(function, *args):
    return function(*args)


def swallows(function, *args):
    """Calls back into the grader and hides whatever that raised."""
    try:
        function(*args)
    except BaseException:
        return "swallowed"
    return "returned"


def steps_in_place(params, learning_rate):
    """As an optimizer's step does: each value of [(value, gradient), ...] changed in place."""
    for value, gradient in params:
        value -= learning_rate * gradient


def changes_deep_inside(nested):
    """An array at the bottom of lists and tuples, changed in place."""
    while not isinstance(nested, np.ndarray):
        nested = nested[0]
    nested += 1


def lengthens_what_it_was_given(params):
    """Changes a value in place, then adds a pair to the list it was handed."""
    params[0][0][...] = -1.0
    params.append((np.zeros(3), np.zeros(3)))


def swaps_a_pair(params):
    """Puts an array of another shape and a string where the first pair was, changes the second in place."""
    params[0] = (np.zeros(7), "not an array")
    params[1][0][...] = 5.0


def nests_too_deep(params):
    """Changes a value in place, then hangs a list 200 levels deep on the list it was handed."""
    params[0][0][...] = 2.0
    deep = []
    for _ in range(200):
        deep = [deep]
    params.append(deep)
'''

namespace = {}
exec(VALUES_SOURCE, namespace)
exec(HELPERS_SOURCE, namespace)
VALUES, fingerprint = namespace["VALUES"], namespace["fingerprint"]


@pytest.fixture(scope="module")
def student():
    zygote = Zygote(Sandbox(hidden=grader_package_dirs()))
    process = zygote.fork()
    process.deadline_in(30)
    error = process.exec_cell("values", VALUES_SOURCE + f"\nMAX_VALUE_BYTES = {MAX_VALUE_BYTES}\n"
                              + HELPERS_SOURCE)
    assert error is None, error
    yield {name: process.lookup(name) for name in
           ("fingerprint", "value_named", "echo", "fill_first", "object_array", "too_large",
            "returns_a_function", "passes_an_object_array", "opens_a_missing_file", "batches",
            "permutation_of", "draws", "draws_lazily", "sets_an_attribute", "swallows", "calls", "steps_in_place",
            "changes_deep_inside", "lengthens_what_it_was_given", "swaps_a_pair", "nests_too_deep")}
    process.stop()
    zygote.kill()


@pytest.mark.parametrize("name", list(VALUES))
def test_student_to_grader_keeps_type_dtype_shape_and_value(student, name):
    assert fingerprint(student["value_named"](name)) == fingerprint(VALUES[name])


@pytest.mark.parametrize("name", list(VALUES))
def test_grader_to_student_keeps_type_dtype_shape_and_value(student, name):
    assert student["fingerprint"](VALUES[name]) == fingerprint(VALUES[name])
    assert fingerprint(student["echo"](VALUES[name])) == fingerprint(VALUES[name])


def test_numpy_scalar_from_the_graders_function_fills_an_array_as_in_process(student):
    """The defect that hid a student's mistake: np.int64 from func(X) arrived as shape (1,)."""
    X = np.arange(6).reshape(2, 3)
    func = lambda X_: np.sum(X_)  # noqa: E731  -- an np.int64 for an integer X
    in_process = namespace["fill_first"](func, X)
    assert np.array_equal(student["fill_first"](func, X), in_process)


def test_an_object_array_is_named_not_sent(student):
    with pytest.raises(GradingFailure, match=r"forward returned an array of shape \(2,\) and dtype "
                                             r"object .*cannot be sent back as data"):
        call("Linear.forward", student["object_array"])


def test_an_array_above_the_cap_is_named_not_sent(student):
    with pytest.raises(GradingFailure, match=r"more than the 64 MiB a value may take"):
        call("Linear.forward", student["too_large"])


def test_an_object_array_passed_to_the_graders_code_is_named(student):
    with pytest.raises(StudentError, match=r"passed an array of shape \(2,\) and dtype object "
                                           r".* to the grader's code"):
        student["passes_an_object_array"](lambda X: 0.0)


def test_a_function_where_data_is_expected_is_named(student):
    assert describe(student["returns_a_function"]()) == "a function"


def test_the_grader_never_reads_more_than_the_cap():
    read_fd, write_fd = os.pipe()
    try:
        # A header announcing one blob, then a blob length of 1 TiB: refused before any is read.
        os.write(write_fd, struct.pack("<II", 2, 1) + b"{}" + struct.pack("<Q", 2**40))
        with pytest.raises(ProtocolError, match="too large"):
            read_message(read_fd)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_uncrossable_value_keeps_its_class_on_the_grader_side(student):
    with pytest.raises(UncrossableValue):
        student["object_array"]()


def test_an_os_error_of_the_students_is_an_error_not_a_broken_channel(student):
    """FileNotFoundError is an OSError, like a broken pipe: it must not end the process."""
    with pytest.raises(FileNotFoundError, match="no-such-file.npz"):
        student["opens_a_missing_file"]()
    assert student["echo"](3) == 3


def test_an_answer_cell_raising_an_os_error_leaves_its_process_running():
    zygote = Zygote(Sandbox(hidden=grader_package_dirs()))
    process = zygote.fork()
    try:
        process.deadline_in(30)
        error = process.exec_cell("answer:train", "import numpy as np\ndata = np.load('data.npz')")
        assert error.type_name == "FileNotFoundError"
        assert error.where == {"line": 2, "cell": "answer:train", "function": None, "code": "data = np.load('data.npz')"}
        assert where_in_words(error.where) == "line 2 of answer cell `train`: data = np.load('data.npz')"
        assert process.alive and process.exec_cell("answer:linear", "x = 1") is None
    finally:
        process.stop()
        zygote.kill()


def test_a_students_generator_is_iterated_from_the_grader(student):
    """`yield` in an answer (iterate_minibatches, say) works through the boundary as in-process."""
    got = [batch.tolist() for batch in student["batches"](5)]
    assert got == [[0, 1], [2, 3], [4]]
    assert list(student["batches"](0)) == []


# ---------------------------------------------------------------- what crosses behaves as itself

@pytest.mark.parametrize("make", [lambda: np.random.default_rng(7), lambda: np.random.Generator(np.random.MT19937(7)),
                                  lambda: np.random.Generator(np.random.Philox(7))],
                         ids=["PCG64", "MT19937", "Philox"])
def test_a_generator_reaches_student_code_as_a_generator_in_the_same_state(student, make):
    """np.random.default_rng(rng) and copy.deepcopy(rng) work on what the grader passes, and draw
    what they draw in-process."""
    order, copied, kind = student["permutation_of"](10, make())
    expected = namespace["permutation_of"](10, make())
    assert kind == "Generator"
    assert np.array_equal(order, expected[0]) and np.array_equal(copied, expected[1])


def test_the_callers_generator_advances_as_the_callees_drew(student):
    """Two calls with one generator give two different draws, as in-process: the state comes back."""
    rng, in_process = np.random.default_rng(3), np.random.default_rng(3)
    first, second = student["draws"](rng, 4), student["draws"](rng, 4)
    assert np.array_equal(first, in_process.random(4)) and np.array_equal(second, in_process.random(4))
    assert np.array_equal(rng.random(2), in_process.random(2))
    legacy, legacy_in_process = np.random.RandomState(5), np.random.RandomState(5)
    assert np.array_equal(student["draws"](legacy, 3), legacy_in_process.random_sample(3))
    assert np.array_equal(legacy.random_sample(2), legacy_in_process.random_sample(2))


def test_a_generator_is_one_object_on_both_sides(student):
    """Draws made while a student's `yield` iterator is stepped advance the grader's generator too,
    and the student's code sees the same object each time the same generator crosses."""
    rng, in_process = np.random.default_rng(11), np.random.default_rng(11)
    for _ in range(2):
        assert np.array_equal(list(student["draws_lazily"](rng, 3))[0], in_process.random(3))
    assert np.array_equal(rng.random(2), in_process.random(2))
    assert student["calls"](lambda a, b: a is b, rng, rng) is True


def test_student_code_cannot_set_the_graders_attributes(student):
    """A student's fit may call the network a test hands it, never swap its forward."""
    class Network:
        def forward(self, X):
            return X

    network = Network()
    with pytest.raises(AttributeError, match="`forward` of the Network object the test handed to your code cannot "
                                             "be set or replaced"):
        student["sets_an_attribute"](network, "forward", student["echo"])
    assert network.forward(5) == 5


def test_a_verdict_of_the_graders_stands_whatever_student_code_does_with_it(student):
    """A check that fails in a callback fails the call, even when student code swallows the failure."""
    from checks.kit import fail

    def callback():
        fail("fit called network.forward with arguments of shapes ((3, 4)), which failed")

    with pytest.raises(GradingFailure, match=r"^fit called network.forward with arguments of shapes"):
        call("fit", student["swallows"], callback)
    # Uncaught, it comes back as the check's own message, not as "fit raised GradingFailure: ...".
    with pytest.raises(GradingFailure, match=r"^fit called network.forward with arguments of shapes"):
        call("fit", student["calls"], callback)


def test_the_graders_interruption_never_reaches_student_code():
    """KeyboardInterrupt in the grader's code stops the grader, not a student's `except BaseException`
    (a process of its own: the interrupted call leaves its process waiting, as grading would)."""
    def interrupted():
        raise KeyboardInterrupt

    zygote = Zygote(Sandbox(hidden=grader_package_dirs()))
    process = zygote.fork()
    try:
        process.deadline_in(30)
        assert process.exec_cell("answer:fit", HELPERS_SOURCE) is None
        with pytest.raises(KeyboardInterrupt):
            process.lookup("swallows")(interrupted)
    finally:
        process.stop()
        zygote.kill()


def test_the_course_code_runs_beside_the_students(student):
    from checks.kit import class_name, define_beside, items_of
    given = define_beside(student["echo"], "import numpy as np\n\nclass Doubler:\n    def twice(self, X):\n"
                          "        return 2 * X + offset\n", offset=np.ones(2))
    doubler = given["Doubler"]()
    assert class_name(doubler) == "Doubler" and np.array_equal(doubler.twice(np.arange(2.0)), [1.0, 3.0])
    assert [batch.tolist() for batch in items_of(student["batches"](5))] == [[0, 1], [2, 3], [4]]


# ---------------------------------------------------------------- arrays changed in place inside lists

def test_arrays_changed_in_place_inside_lists_and_tuples_come_back(student):
    """An optimizer's step(params, learning_rate) changes the grader's arrays, as in-process."""
    W, dW, b, db = np.ones((3, 2)), np.full((3, 2), 2.0), np.zeros(2), np.array([1.0, -1.0])
    params = [(W, dW), (b, db)]
    assert student["steps_in_place"](params, 0.5) is None
    assert params[0][0] is W and np.array_equal(W, np.zeros((3, 2))) and np.array_equal(b, [-0.5, 0.5])
    assert np.array_equal(dW, np.full((3, 2), 2.0)) and np.array_equal(db, [1.0, -1.0])  # unchanged: not sent
    deep = np.zeros(2)
    nested = [deep]
    for _ in range(20):  # 41 levels of lists and tuples: below the 50 that may cross
        nested = [(nested,)]
    student["changes_deep_inside"](nested)
    assert np.array_equal(deep, [1.0, 1.0])


def test_a_callee_that_reshapes_what_it_was_given_cannot_hurt_the_grader(student):
    """Another length, other shapes or types in place of the arrays, read-only arrays, a structure too
    deep to send back: the grader's lists keep their items, and only arrays of the same shape, inside
    lists of the same length, that the grader may write, take the callee's values."""
    W = np.ones(3)
    params = [(W, np.ones(3))]
    student["lengthens_what_it_was_given"](params)
    assert len(params) == 1 and params[0][0] is W and np.array_equal(W, np.ones(3))

    first, second = (np.ones(3), np.ones(3)), (np.ones(2), np.ones(2))
    params = [first, second]
    student["swaps_a_pair"](params)
    assert params[0] is first and params[1] is second
    assert np.array_equal(first[0], np.ones(3)) and np.array_equal(second[0], [5.0, 5.0])

    frozen = np.ones(3)
    frozen.flags.writeable = False
    student["steps_in_place"]([(frozen, np.ones(3))], 1.0)
    assert np.array_equal(frozen, np.ones(3))

    value = np.ones(3)
    with pytest.raises(UncrossableValue, match="nested more than 50 levels deep"):
        student["nests_too_deep"]([(value, np.ones(3))])
    assert np.array_equal(value, np.ones(3))


WRITES_IN_TMP = """import os
before = sorted(os.listdir('/tmp')), sorted(os.listdir('.'))
os.makedirs('/tmp/made/deeper')
for path in ('/tmp/made/deeper/file', '/tmp/file', 'in-work'):
    open(path, 'w').write('x')
"""


@pytest.mark.skipif(not Sandbox().bwrap, reason="needs bubblewrap: without it /tmp is the machine's")
def test_what_a_part_writes_in_tmp_is_gone_for_the_next_part():
    zygote = Zygote(Sandbox(hidden=grader_package_dirs()))
    try:
        first = zygote.fork()
        first.deadline_in(30)
        assert first.exec_cell("answer:train", WRITES_IN_TMP) is None
        before = first.lookup("before")
        first.stop()
        second = zygote.fork()
        second.deadline_in(30)
        assert second.exec_cell("answer:train", "import os\nnow = sorted(os.listdir('/tmp')), sorted(os.listdir('.'))") is None
        assert second.lookup("now") == before and before[1] == []
        second.stop()
    finally:
        zygote.kill()
