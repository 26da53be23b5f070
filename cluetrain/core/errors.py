"""The one error an action raises when a request cannot be carried out."""


class ActionError(Exception):
    """A refused action. `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
