"""``python -m helpers`` is the ``surgery`` command."""

import sys

from helpers.cli import main

sys.exit(main())
