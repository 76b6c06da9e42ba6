"""Write the kit's sample data files into this folder.

Every module in ``helpers/synthetic/`` that has a ``write_sample(folder)`` function is
called in turn (found with pkgutil, so a new data set needs no change here); each writes
its files deterministically from a fixed seed.

Usage::

    python datasets/generate.py            # into datasets/
    python datasets/generate.py /tmp/out   # somewhere else, e.g. to compare with the committed files
"""

from __future__ import annotations

import importlib
import pathlib
import pkgutil
import sys

import helpers.synthetic

FOLDER = pathlib.Path(__file__).resolve().parent


def main(folder: pathlib.Path = FOLDER) -> list[pathlib.Path]:
    """Run every generator into ``folder`` and print each file written."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for module_info in sorted(pkgutil.iter_modules(helpers.synthetic.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"helpers.synthetic.{module_info.name}")
        write_sample = getattr(module, "write_sample", None)
        if write_sample is None:
            continue
        for path in write_sample(folder):
            print(pathlib.Path(path).name)
            written.append(pathlib.Path(path))
    return written


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
