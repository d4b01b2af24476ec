"""The wire protocol between the grader and the student's sandboxed process.

The grader never runs student code in its own process: it works on the student's objects
through proxies. `Linear(3, 5)` in a test builds the object in the student's process,
`layer.forward(X)` runs there, and only plain data comes back (numbers, strings, numpy
arrays, lists, tuples, dicts). Every comparison therefore happens in the grader, where
student code never ran, so replacing numpy functions or builtins there changes no verdict.

Objects travel by reference, data by value, and a value keeps its type, dtype and shape
(a 0-d array stays 0-d, np.float64 stays np.float64). Arrays travel as their raw bytes
beside a JSON header naming dtype and shape: nothing is ever unpickled, and object arrays
do not cross. An array passed as an argument and changed in place by the callee is sent
back, so the caller sees the change; so is one inside a list or tuple argument (an optimizer's
[(value, gradient), ...]), where the list keeps its length and the array its shape and the
caller may write it. Calls go both ways: a test may hand student code its
own objects (a stub layer, a loss function), whose methods then run in the grader. A side
serves only public attributes (no leading underscore) of objects it handed out, and the
grader's objects are never changed from the other side: student code may read and call
them, not set their attributes. A numpy random generator (np.random.Generator or
RandomState) crosses as a real generator in the same state, and stays one object: each side
keeps its copy, the same copy every time the generator crosses again, and every message
brings the other side's copies up to date with the draws made since the last one (a
student's `yield`-based iterator that draws while it is stepped included).
The grader can also define code in the student's process (`define`): the course's given
classes, built where the student's code runs, so that a training loop calls no one across.

This module uses the standard library and numpy only and holds nothing secret: the sandbox
runs it beside the student's code (checks/engine/student.py).
"""
import builtins
import json
import math
import os
import struct
import traceback

import numpy as np

MAX_VALUE_BYTES = 64 * 2**20     # the arrays of one message: larger values do not cross
MAX_MESSAGE_BYTES = MAX_VALUE_BYTES + 16 * 2**20  # a message larger than this is refused, not read
MAX_NESTING = 50                 # lists in lists ... deeper than this do not cross
STUDENT_FILE_PREFIX = "<student code: "  # + "answer:linear>": the file name of student code (its cell's label)


# ---------------------------------------------------------------- errors

class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message."""


class TransportTimeout(Exception):
    """The wait function's deadline passed before the peer answered."""


class FieldsError(Exception):
    """An error whose `fields` say, as data, what it is about; its message is an English rendering
    for logs (the grader says the fields in the reader's language: checks/protocol/words.py)."""

    fields = {}

    @classmethod
    def of(cls, message, **fields):
        error = cls(message)
        error.fields = fields
        return error


class UncrossableValue(FieldsError):
    """A value that cannot be sent as data. fields: `value`, what it is ({"kind": "object array",
    "shape": [2]}, {"kind": "too large", "shape", "dtype", "mib", "limit_mib"}, {"kind": "too
    deep", "depth"}, {"kind": "object scalar", "type"}), and once it is known, `direction`
    ("returned", or "passed" with `peer`, whose code it was passed to)."""


def _uncrossable(value, direction=None, peer=None):
    """UncrossableValue with its fields, and a message in English."""
    kind = value["kind"]
    if kind == "object array":
        what = (f"an array of shape {tuple(value['shape'])} and dtype object (numbers of mixed types, or arrays "
                "of different lengths, put together)")
    elif kind == "too large":
        what = (f"an array of shape {tuple(value['shape'])} and dtype {value['dtype']} ({value['mib']:,.1f} MiB), "
                f"more than the {value['limit_mib']} MiB a value may take")
    elif kind == "too deep":
        what = f"a value nested more than {value['depth']} levels deep"
    else:
        what = f"a numpy scalar of type {value['type']}"
    if direction == "returned":
        what = f"returned {what}, which cannot be sent back as data"
    elif direction == "passed":
        what = f"passed {what} to the {peer}'s code, which cannot be sent as data"
    fields = {"value": value} if direction is None else {"value": value, "direction": direction, "peer": peer}
    return UncrossableValue.of(what, **fields)


class StudentError(Exception):
    """An exception raised by student code in the sandbox, re-raised in the grader.

    type_name is the original exception's class name; where says which line of which cell
    raised it ({"line", "cell", "function", "code"}, or None); fields are those of an error
    that says what it is about as data (FieldsError).
    """

    def __init__(self, type_name, message, where=None, fields=None):
        super().__init__(message)
        self.type_name, self.message, self.where = type_name, message, where or None
        self.fields = fields or {}

    def __str__(self):
        return self.message


class StudentTimeout(StudentError):
    """Student code did not answer before the deadline; its process was killed."""


class StudentProcessEnded(StudentError):
    """The student's process ended (os._exit, a crash, a kill) while the grader waited."""


_ERROR_CLASSES = {}
_KNOWN_ERRORS = {"UncrossableValue": UncrossableValue}  # keep their class across the boundary


def register_error(error_type):
    """An exception class that keeps its class when it crosses (the row guard's, for one)."""
    _KNOWN_ERRORS[error_type.__name__] = error_type


def error_class(type_name):
    """A StudentError subclass that is also the builtin exception of that name, if any,
    so `except AttributeError` and hasattr() keep working across the boundary."""
    if type_name not in _ERROR_CLASSES:
        builtin = _KNOWN_ERRORS.get(type_name) or getattr(builtins, type_name, None)
        bases = (StudentError,)
        if (isinstance(builtin, type) and issubclass(builtin, Exception)
                and not issubclass(builtin, StudentError)):
            bases = (StudentError, builtin)
        try:
            _ERROR_CLASSES[type_name] = type(type_name, bases, {"__str__": StudentError.__str__})
        except TypeError:  # incompatible layouts: keep the plain class
            _ERROR_CLASSES[type_name] = type(type_name, (StudentError,), {})
    return _ERROR_CLASSES[type_name]


def where_in_cells(tb):
    """{"line": 12, "cell": "answer:linear", "function": "backward", "code": "return dLdy @ self.W"}
    for the innermost frame of student code in a traceback (function None at a cell's top level),
    or None."""
    frames = [frame for frame in traceback.extract_tb(tb)
              if frame.filename.startswith(STUDENT_FILE_PREFIX)]
    if not frames:
        return None
    frame = frames[-1]
    return {"line": frame.lineno, "cell": frame.filename[len(STUDENT_FILE_PREFIX):-1],
            "function": frame.name if frame.name != "<module>" else None, "code": (frame.line or "").strip()}


def describe_error(error):
    message = str(error).strip()
    if isinstance(error, (SystemExit, KeyboardInterrupt)) and not message:
        message = type(error).__name__
    fields = getattr(error, "fields", None)
    return {"type": type(error).__name__, "message": message[:2000] or "(no message)",
            "where": where_in_cells(error.__traceback__), "fields": fields if isinstance(fields, dict) else {}}


# ---------------------------------------------------------------- framing

def _write_all(fd, parts):
    """Write the byte strings one after the other, without joining them (an array's bytes are
    written from the array itself, not copied first)."""
    views = [memoryview(part).cast("B") for part in parts if len(part)]
    first = 0
    while first < len(views):
        written = os.writev(fd, views[first:first + 512])
        while written:
            if written >= len(views[first]):
                written -= len(views[first])
                first += 1
            else:
                views[first], written = views[first][written:], 0


def write_message(fd, header, blobs=()):
    head = json.dumps(header, allow_nan=True).encode()
    parts = [struct.pack("<II", len(head), len(blobs)), head]
    for blob in blobs:
        parts += [struct.pack("<Q", len(blob)), blob]
    _write_all(fd, parts)


def _read_exact(fd, size, wait):
    """`size` bytes into a buffer of their own, as they come."""
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        wait()
        count = os.readv(fd, [view[got:]])
        if not count:
            raise EOFError
        got += count
    return buffer


def read_message(fd, wait=lambda: None):
    head_size, n_blobs = struct.unpack("<II", _read_exact(fd, 8, wait))
    if head_size > MAX_MESSAGE_BYTES or n_blobs > 100000:
        raise ProtocolError("message too large")
    try:
        header = json.loads(_read_exact(fd, head_size, wait))
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"unreadable message: {error}") from None
    blobs, total = [], head_size
    for _ in range(n_blobs):
        (size,) = struct.unpack("<Q", _read_exact(fd, 8, wait))
        total += size
        if total > MAX_MESSAGE_BYTES:
            raise ProtocolError("message too large")
        blobs.append(_read_exact(fd, size, wait))
    return header, blobs


# ---------------------------------------------------------------- arrays

_ARRAY_KINDS = {}  # name -> ndarray subclass that keeps its class across the boundary


def register_array_kind(name, array_class):
    _ARRAY_KINDS[name] = array_class


def _kind_of(array):
    return next((name for name, cls in _ARRAY_KINDS.items() if isinstance(array, cls)), "")


def array_from_bytes(blob, dtype_text, shape):
    """The array of the given dtype and shape whose C-order bytes are blob, writable (a copy of
    bytes, the very memory of a bytearray)."""
    try:
        dtype = np.dtype(str(dtype_text))
        shape = tuple(int(size) for size in shape)
    except (TypeError, ValueError) as error:
        raise ProtocolError(f"unreadable array: {error}") from None
    if dtype.hasobject or any(size < 0 for size in shape) or len(blob) != math.prod(shape) * dtype.itemsize:
        raise ProtocolError("unreadable array: its bytes do not match its dtype and shape")
    array = np.frombuffer(blob, dtype=dtype).reshape(shape)
    return array if array.flags.writeable else array.copy()  # a bytearray of its own needs no copy


# ---------------------------------------------------------------- random generators

# The bit generators numpy ships: a generator crosses as its state, rebuilt on arrival.
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


def generator_state(generator):
    """The state that rebuilds a np.random.Generator or RandomState (a dict of plain values)."""
    if isinstance(generator, np.random.Generator):
        return generator.bit_generator.state
    return generator.get_state(legacy=False)


def generator_from_state(kind, state):
    """A Generator ("gen") or RandomState ("rs") in the given state; ProtocolError if unreadable."""
    try:
        name = str(state["bit_generator"])
        if name not in BIT_GENERATORS or (kind == "rs" and name != "MT19937"):
            raise ValueError(f"unknown bit generator {name!r}")
        if kind == "rs":
            generator = np.random.RandomState(0)
            generator.set_state(state)
            return generator
        bit_generator = getattr(np.random, name)(0)
        bit_generator.state = state
        return np.random.Generator(bit_generator)
    except (TypeError, ValueError, KeyError) as error:
        raise ProtocolError(f"unreadable random generator: {error}") from None


def set_generator_state(generator, state):
    """Advance `generator` to the state of another generator of its kind."""
    if isinstance(generator, np.random.Generator):
        generator.bit_generator.state = state
    else:
        generator.set_state(state)


def _snapshot(value, depth=0):
    """What tells whether a call changed an array argument in place, or an array inside a list or
    tuple argument (an optimizer's [(value, gradient), ...]); None: no array in it."""
    if isinstance(value, np.ndarray):
        return value.tobytes()
    if isinstance(value, (list, tuple)) and depth < MAX_NESTING:
        inner = [_snapshot(item, depth + 1) for item in value]
        return inner if any(item is not None for item in inner) else None
    return None


def _is_generator(value):
    return isinstance(value, (np.random.Generator, np.random.RandomState))


# ---------------------------------------------------------------- objects across the boundary

class Proxy:
    """An object that lives on the other side; attribute access and calls go there."""

    __slots__ = ("_connection", "_id", "_callable", "_type_name")

    def __init__(self, connection, object_id, is_callable, type_name):
        object.__setattr__(self, "_connection", connection)
        object.__setattr__(self, "_id", object_id)
        object.__setattr__(self, "_callable", is_callable)
        object.__setattr__(self, "_type_name", type_name)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._connection.request({"op": "getattr", "target": self._id, "name": name})

    def __setattr__(self, name, value):
        if name.startswith("_"):
            raise AttributeError(f"cannot set {name}")
        self._connection.request({"op": "setattr", "target": self._id, "name": name}, value=value)

    def __call__(self, *args, **kwargs):
        if not self._callable:
            raise TypeError(f"'{self._type_name}' object is not callable")
        return self._connection.request({"op": "call", "target": self._id}, args=args, kwargs=kwargs)

    def __iter__(self):
        """An iterator of the other side (a student's generator, for one), stepped from here."""
        return self._connection.request({"op": "iter", "target": self._id})

    def __next__(self):
        return self._connection.request({"op": "next", "target": self._id})

    def __repr__(self):
        return f"<{self._type_name}>"


class Connection:
    """One end of the channel: encodes values, sends requests, serves the peer's requests."""

    def __init__(self, read_fd, write_fd, side, serve_extra=None, wait=lambda: None):
        self.read_fd, self.write_fd, self.side = read_fd, write_fd, side
        self.peer = "student" if side == "grader" else "grader"
        self.objects = {}          # id -> object handed to the peer
        self.serve_extra = serve_extra or {}
        self.wait = wait           # blocks until input is ready; may raise (deadline)
        # The grader's end turns a broken channel (deadline, EOF, garbage) into the
        # StudentError that says why, wherever the request came from (a proxy, a test).
        self.translate = None
        # The grader's objects are measuring instruments: the student's side may call them and
        # read their attributes, never set one. `refusal(type_name, attribute)` is the
        # AttributeError the peer gets (the grader's end words it in the student's language).
        self.refusal = None if side == "student" else _english_refusal
        self.closed = False        # the peer is gone: nothing more is sent
        self.exchanges = 0         # messages answered both ways: requests sent and served
        # Random generators that have crossed: (owner side, number) -> this side's copy, and the
        # state both sides last agreed on; id(copy) -> its key.
        self.generators, self.agreed, self.generator_keys = {}, {}, {}

    # -- values
    def encode(self, value, blobs, depth=0):
        """The wire form of value: data by value (type, dtype and shape kept), objects by reference.

        Raises UncrossableValue for data that cannot be sent as data (an object array, a value
        above MAX_VALUE_BYTES, nesting deeper than MAX_NESTING).
        """
        if depth > MAX_NESTING:
            raise _uncrossable({"kind": "too deep", "depth": MAX_NESTING})
        # numpy scalars first: np.float64 is also a Python float, and must stay np.float64.
        if isinstance(value, np.generic):
            if value.dtype.hasobject:
                raise _uncrossable({"kind": "object scalar", "type": type(value).__name__})
            return dict(self._add_array(blobs, np.asarray(value)), t="np")
        if value is None or type(value) in (bool, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value) if abs(value) <= 2**62 else {"t": "bigint", "v": str(value)}
        if isinstance(value, float):
            return float(value) if math.isfinite(value) else {"t": "float", "v": float(value)}
        if isinstance(value, complex):
            return {"t": "complex", "v": [value.real, value.imag]}
        if isinstance(value, str):
            return str(value)
        if isinstance(value, Proxy) and value._connection is self:
            return {"t": "ref", "s": self.peer, "i": value._id}
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise _uncrossable({"kind": "object array", "shape": list(value.shape)})
            return dict(self._add_array(blobs, value), t="nd", g=_kind_of(value))
        if isinstance(value, (list, tuple)):
            kind = "list" if isinstance(value, list) else "tuple"
            return {"t": kind, "v": [self.encode(item, blobs, depth + 1) for item in value]}
        if isinstance(value, dict):
            return {"t": "dict", "v": [[self.encode(key, blobs, depth + 1), self.encode(item, blobs, depth + 1)]
                                       for key, item in value.items()]}
        if _is_generator(value):
            owner, number = self._generator_key(value)
            state = generator_state(value)
            self.agreed[owner, number] = repr(state)
            return {"t": "gen" if isinstance(value, np.random.Generator) else "rs", "o": owner, "i": number,
                    "v": self.encode(state, blobs, depth + 1)}
        object_id = len(self.objects)
        self.objects[object_id] = value
        return {"t": "ref", "s": self.side, "i": object_id, "c": callable(value),
                "n": type(value).__name__}

    @staticmethod
    def _add_array(blobs, array):
        """Append the array's bytes to blobs; return the header fields that describe them."""
        size = sum(len(blob) for blob in blobs) + array.nbytes
        if size > MAX_VALUE_BYTES:
            raise _uncrossable({"kind": "too large", "shape": list(array.shape), "dtype": str(array.dtype),
                                "mib": array.nbytes / 2**20, "limit_mib": MAX_VALUE_BYTES // 2**20})
        blobs.append(np.ascontiguousarray(array).reshape(-1).view(np.uint8))  # its bytes, not a copy of them
        return {"i": len(blobs) - 1, "d": array.dtype.str, "s": list(array.shape)}

    def decode(self, data, blobs):
        if not isinstance(data, dict):
            return data
        kind = data.get("t")
        if kind in ("nd", "np"):
            try:
                blob = blobs[data["i"]]
            except (IndexError, KeyError, TypeError):
                raise ProtocolError("a reference to a missing array") from None
            array = array_from_bytes(blob, data.get("d"), data.get("s") or [])
            if kind == "np":
                if array.ndim != 0:
                    raise ProtocolError("a numpy scalar that is not 0-dimensional")
                return array[()]
            array_class = _ARRAY_KINDS.get(data.get("g") or "")
            return array.view(array_class) if array_class else array
        if kind in ("list", "tuple"):
            items = [self.decode(item, blobs) for item in data["v"]]
            return items if kind == "list" else tuple(items)
        if kind == "dict":
            try:
                return {self.decode(key, blobs): self.decode(item, blobs) for key, item in data["v"]}
            except (TypeError, ValueError):
                raise ProtocolError("a malformed dict") from None
        if kind == "bigint":
            return int(data["v"])
        if kind == "float":
            return float(data["v"])
        if kind == "complex":
            return complex(*map(float, data["v"]))
        if kind in ("gen", "rs"):
            return self._generator(kind, (str(data.get("o")), data.get("i")), self.decode(data.get("v"), blobs))
        if kind == "ref":
            if data["s"] == self.side:
                try:
                    return self.objects[data["i"]]
                except (KeyError, TypeError):
                    raise ProtocolError("unknown object") from None
            return Proxy(self, data["i"], bool(data.get("c")), str(data.get("n", "object")))
        raise ProtocolError(f"unknown value kind {kind!r}")

    # -- random generators: one object, a copy on each side
    def _generator_key(self, generator):
        key = self.generator_keys.get(id(generator))
        if key is None or self.generators.get(key) is not generator:
            key = (self.side, len(self.generators))
            self.generators[key], self.generator_keys[id(generator)] = generator, key
        return key

    def _generator(self, kind, key, state):
        """This side's copy of a generator that crossed, brought to the state it crossed in."""
        generator = self.generators.get(key)
        if generator is None or (kind == "gen") != isinstance(generator, np.random.Generator):
            if key[0] == self.side:
                raise ProtocolError("a random generator this side never sent")
            generator = generator_from_state(kind, state)
            self.generators[key], self.generator_keys[id(generator)] = generator, key
        else:
            try:
                set_generator_state(generator, state)
            except (TypeError, ValueError, KeyError) as error:
                raise ProtocolError(f"unreadable random generator: {error}") from None
        self.agreed[key] = repr(state)
        return generator

    def _draws_since_agreed(self, blobs):
        """[owner, number, state] of each generator this side drew from since both agreed."""
        changed = []
        for key, generator in self.generators.items():
            state = generator_state(generator)
            if repr(state) != self.agreed.get(key):
                self.agreed[key] = repr(state)
                changed.append([key[0], key[1], self.encode(state, blobs)])
        return changed

    # -- messages
    def send(self, header, values):
        if self.closed:
            raise EOFError
        blobs = []
        header = dict(header, values={key: self.encode(value, blobs) for key, value in values.items()})
        if self.generators:
            header["draws"] = self._draws_since_agreed(blobs)
        write_message(self.write_fd, header, blobs)

    def receive(self):
        header, blobs = read_message(self.read_fd, self.wait)
        for owner, number, state in header.get("draws") or []:
            key = (str(owner), number)
            if key in self.generators:
                kind = "gen" if isinstance(self.generators[key], np.random.Generator) else "rs"
                self._generator(kind, key, self.decode(state, blobs))
        values = {key: self.decode(value, blobs) for key, value in header.get("values", {}).items()}
        return header, values

    def request(self, header, args=(), kwargs=None, value=None):
        """Send a request and serve the peer's nested requests until the reply comes."""
        header = dict(header, kind="request")
        if header.get("op") == "call":
            header["errstate"] = np.geterr()
        kwargs = kwargs or {}
        self.exchanges += 1
        try:
            try:
                self.send(header, {"args": list(args), "kwargs": kwargs, "value": value})
            except UncrossableValue as error:
                raise _uncrossable(error.fields["value"], "passed", self.peer) from None
            return self._await_reply(args, kwargs)
        except StudentError:  # the peer's code raised it (an OSError of the student's too)
            raise
        except (EOFError, OSError, ProtocolError, TransportTimeout) as error:
            if self.translate is None:
                raise
            raise self.translate(error) from None

    def _await_reply(self, args, kwargs):
        while True:
            reply, values = self.receive()
            if reply.get("kind") == "request":
                self.serve(reply, values)
                continue
            if reply.get("kind") != "reply":
                raise ProtocolError("expected a reply")
            if "error" in reply:
                error = reply["error"]
                raise error_class(str(error.get("type", "Error")))(
                    str(error.get("type", "Error")), str(error.get("message", "")),
                    error.get("where") if isinstance(error.get("where"), dict) else None,
                    error.get("fields") if isinstance(error.get("fields"), dict) else None)
            back_kwargs = values.get("back_kwargs") or {}
            self._copy_back(list(args) + list(kwargs.values()),
                            list(values.get("back") or []) + [back_kwargs.get(key) for key in kwargs])
            return values.get("result")

    @staticmethod
    def _copy_back(args, returned):
        """Arrays the callee changed in place: change the caller's arrays the same way (those inside
        list and tuple arguments too)."""
        for original, new in zip(args, returned):
            if (isinstance(original, (list, tuple)) and isinstance(new, (list, tuple))
                    and len(original) == len(new)):
                Connection._copy_back(original, new)
            elif (isinstance(original, np.ndarray) and isinstance(new, np.ndarray)
                    and original.shape == new.shape and original.flags.writeable):
                try:
                    np.copyto(original, new, casting="unsafe")
                except (TypeError, ValueError):
                    pass

    def serve(self, header, values):
        """Answer one request of the peer."""
        self.exchanges += 1
        try:
            result, back, back_kwargs = self._perform(header, values)
            try:
                self.send({"kind": "reply"}, {"result": result, "back": back, "back_kwargs": back_kwargs})
            except UncrossableValue as error:
                raise _uncrossable(error.fields["value"], "returned") from None
        except BaseException as error:  # student code may raise anything, SystemExit included
            if self.side == "grader" and (isinstance(error, (ProtocolError, EOFError))
                                          or not isinstance(error, Exception)):
                # A broken channel, or the grader itself being stopped (KeyboardInterrupt,
                # SystemExit): the grader's own business, never the student code's to catch.
                raise
            self.send({"kind": "reply", "error": describe_error(error)}, {})

    def _target(self, header):
        try:
            return self.objects[header["target"]]
        except (KeyError, TypeError):
            raise ProtocolError("unknown object") from None

    def _perform(self, header, values):
        op = header.get("op")
        if op == "call":
            target = self._target(header)
            args, kwargs = list(values.get("args") or []), dict(values.get("kwargs") or {})
            errstate = {key: value for key, value in (header.get("errstate") or {}).items()
                        if key in ("divide", "over", "under", "invalid")}
            before = [_snapshot(arg) for arg in args]
            before_kwargs = {key: _snapshot(arg) for key, arg in kwargs.items()}
            with np.errstate(**errstate):
                result = target(*args, **kwargs)
            # Only the arrays the call changed go back: most calls change none.
            back = [arg if old is not None and _snapshot(arg) != old else None for arg, old in zip(args, before)]
            back_kwargs = {key: arg for key, arg in kwargs.items()
                           if before_kwargs[key] is not None and _snapshot(arg) != before_kwargs[key]}
            return result, back, back_kwargs
        if op == "iter":  # the iterator itself: a list comes back as data, a generator by reference
            return iter(self._target(header)), [], {}
        if op == "next":  # StopIteration crosses as itself and ends the caller's loop
            return next(self._target(header)), [], {}
        if op == "list":  # every item of an iterable at once: one message instead of one per item
            return list(self._target(header)), [], {}
        if op == "getattr":
            name = str(header.get("name", ""))
            if name.startswith("_"):
                raise AttributeError(name)
            return getattr(self._target(header), name), [], {}
        if op == "setattr":
            name = str(header.get("name", ""))
            target = self._target(header)
            if self.refusal is not None:
                raise self.refusal(type(target).__name__, name)
            if name.startswith("_"):
                raise AttributeError(name)
            setattr(target, name, values.get("value"))
            return None, [], {}
        if op in self.serve_extra:
            return self.serve_extra[op](header, values), [], {}
        raise ProtocolError(f"unknown request {op!r}")


def _english_refusal(type_name, attribute):
    return AttributeError(f"`{attribute}` of the {type_name} object the test handed to your code cannot "
                          "be set or replaced: use the objects you are given as they are")


def items_of(proxy):
    """Every item of an iterable that lives on the other side (a student's generator), as a
    list, in one round trip."""
    return proxy._connection.request({"op": "list", "target": proxy._id})


def define_beside(proxy, source, values=None):
    """Run `source` in the process where `proxy` lives (the student's process), in a namespace
    of its own that holds `values` ({name: data}), and return {name: what it defined}: objects
    as proxies, data by value. The source runs after the student's code, so it must use only
    what it imports itself and the values."""
    return proxy._connection.request({"op": "define", "source": str(source)}, value=dict(values or {}))
