"""Seeded generators for the kit's fake sample data (``datasets/generate.py`` calls them).

Every person in these files is invented; the generators are importable so that tests
and benchmarks can make larger or altered copies on the fly instead of committing them.
"""
