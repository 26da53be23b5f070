"""The one way an `access_*` helper refuses: 404, whether the object is missing or hidden.

A viewer who may not see something is told exactly what a viewer asking for something that
does not exist is told, so private spaces, hidden threads and others' requests never leak.
"""

from django.http import Http404


def not_found(message: str) -> Http404:
    """Raise this from an `access_*` helper: `raise not_found(gettext("No such thread."))`.

    The caller passes the whole sentence, translated: a noun slotted into a shared template
    cannot agree in gender or case in other languages.
    """
    return Http404(message)
