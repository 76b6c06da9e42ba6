"""The Data Surgery Kit's shared helper package.

The folders say how the kit is built:

- ``spine``: the ``surgery`` command and one run of a playbook (parameters, papermill,
  the report, the bundle, sessions);
- ``reading``: reading a charity's file (the first look, the loader, UK formats, column roles);
- ``writing``: writing for the charity (sentences, tables, charts, workbooks, masks);
- one package per playbook's method: ``health_check``, ``contacts``, ``impact``, ``food_bank``;
- ``synthetic``: seeded generators of the fake sample data.

A playbook imports its method from its own package (``from helpers.food_bank import ...``).
This top level stays import-light so that the ``surgery`` command starts quickly.
"""

__version__ = "0.1.0"
