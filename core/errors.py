"""The one base class for errors whose message is written for a person, not a programmer."""


class UserFacingError(Exception):
    """Bad input or an unusable environment; str(error) is a sentence a user can act on.

    Entry points (the CLI, the dashboard) show these messages as they are, without a traceback;
    anything else that escapes is a bug and is logged with its traceback at a boundary.
    """
