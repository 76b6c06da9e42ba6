"""Test support: code the tests use and no playbook imports (marker planting, reading ease)."""
