"""Errors a user can cause. Each carries an untranslated message and its parameters;
the web and API layers translate and render them."""

from __future__ import annotations

from .text import N_


class DomainError(Exception):
    message: str = N_("The request could not be carried out.")

    def __init__(self, message: str | None = None, **params: object) -> None:
        self.message = message or type(self).message
        self.params = params
        super().__init__(self.message % params if params else self.message)


class NotFound(DomainError):
    message = N_("Not found.")


class PermissionDenied(DomainError):
    message = N_("You do not have permission to do that.")


class InvalidTransition(DomainError):
    message = N_("The status cannot change from %(before)s to %(after)s.")


class Conflict(DomainError):
    message = N_(
        "Someone else saved this asset while you were editing it. Your changes were not saved "
        "but are still in the form: reload the page to see the other change, then edit again."
    )


class ValidationFailed(DomainError):
    """Field errors: {field: untranslated message}. Params of each message in `field_params`."""

    message = N_("Please correct the marked fields.")

    def __init__(
        self,
        errors: dict[str, str],
        field_params: dict[str, dict[str, object]] | None = None,
    ) -> None:
        self.errors = errors
        self.field_params = field_params or {}
        super().__init__()
