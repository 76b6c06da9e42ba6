"""``python -m helpers`` is the ``surgery`` command."""

import sys

from helpers.spine.cli import main

sys.exit(main())
