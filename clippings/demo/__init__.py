"""The bundled demo site that `clippings demo` serves on 127.0.0.1 and crawls.

`serve_demo(workdir)` starts one local server per outlet and writes the matching campaign file;
`expected.json` beside this file is the ground truth of every page. The pages are generated from
`stories/*.toml` by `python -m clippings.demo.build` and committed. See README.md here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EXPECTED_PATH", "DemoSite", "serve_demo"]


def __getattr__(name: str) -> Any:
    """Import the server lazily, so `python -m clippings.demo.server` runs it only once."""
    if name in __all__:
        from clippings.demo import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
