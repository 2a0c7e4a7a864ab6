"""A worker process for `pipelines.offload`: `python -m pipelines.worker`, calls in over a pipe.

The crawl process sends frames on the worker's stdin; the worker answers each on its stdout, in
order. A frame is an 8-byte big-endian length and that many bytes of pickle:
request `(call_id, fn, args, kwargs)`, answer `(call_id, ok, result or exception)`. Standard
output is kept for the frames (a library that prints writes to stderr instead), so nothing but
answers reaches the crawl. The worker stops at the end of its input.

This module imports only the standard library: a worker loads just what its calls need (named
"module:function", see `call_by_name`), not the crawler or the CLI.
"""

from __future__ import annotations

import importlib
import os
import pickle
import struct
import sys
from typing import Any, BinaryIO

HEADER = struct.Struct(">Q")
MAX_FRAME = 1 << 31  # a frame bigger than this is a broken stream, not a page


def call_by_name(name: str, *args: Any, **kwargs: Any) -> Any:
    """Import "module:function" (once per process) and call it."""
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)(*args, **kwargs)


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's payload, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    if size > MAX_FRAME:
        raise ValueError(f"frame of {size} bytes: the stream is broken")
    payload = stream.read(size)
    return payload if len(payload) == size else None


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def answer(call_id: int, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    """The pickled answer to one call: its result, or the exception it raised."""
    try:
        result: Any = fn(*args, **kwargs)
        ok = True
    except Exception as exc:  # noqa: BLE001 - the caller gets it, the worker lives on
        result, ok = exc, False
    try:
        return pickle.dumps((call_id, ok, result), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
        error = RuntimeError(f"worker could not send {type(result).__name__}: {exc}; it was: {result!r:.500}")
        return pickle.dumps((call_id, False, error), protocol=pickle.HIGHEST_PROTOCOL)


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer calls until the requests end."""
    while (payload := read_frame(requests)) is not None:
        call_id, fn, args, kwargs = pickle.loads(payload)
        answers.write(frame(answer(call_id, fn, args, kwargs)))
        answers.flush()


def main() -> None:
    answers = os.fdopen(os.dup(1), "wb")  # the frames keep the real stdout ...
    os.dup2(2, 1)  # ... and anything printed goes to stderr
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
