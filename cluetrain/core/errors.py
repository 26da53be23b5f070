"""The one error an action raises when a request cannot be carried out."""

from django.forms import BaseForm


class ActionError(Exception):
    """A refused action. `field` names the form field at fault, when there is one;
    `retry_after`, for a limit (429), the seconds until it lets the caller try again."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int = 400,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.retry_after = retry_after


def show_on_form(form: BaseForm, error: ActionError) -> int:
    """Put a refused action's message on the form that asked; returns the status to answer.

    The message goes beside the field the action names when the form has it, else above the
    form: actions are shared with the API, whose field names a page's form may not have.
    """
    form.add_error(error.field if error.field in form.fields else None, error.message)
    return error.status
