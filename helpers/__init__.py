"""The Data Surgery Kit's shared helper package.

Playbooks import the submodule they need (``from helpers.loader import load_table``);
this top level stays import-light so that the ``surgery`` command starts quickly.
"""

__version__ = "0.1.0"
