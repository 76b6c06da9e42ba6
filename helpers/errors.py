"""Errors the kit raises on purpose, and the exit codes they map to."""


class InputProblem(Exception):
    """The charity's file or a parameter does not fit the playbook.

    The message is written for the volunteer: it names the column, parameter or
    row at fault and says what to do. The ``surgery`` command turns it into exit
    code 2 with no traceback, whether it is raised on the command line or inside
    a running playbook.

    Example:
        >>> raise InputProblem("Column 'Postcode' was not found. Did you mean 'Post Code'?")
        Traceback (most recent call last):
        ...
        helpers.errors.InputProblem: Column 'Postcode' was not found. Did you mean 'Post Code'?
    """


EXIT_OK = 0
EXIT_PLAYBOOK_FAILED = 1
EXIT_INPUT_PROBLEM = 2
