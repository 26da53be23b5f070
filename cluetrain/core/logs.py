"""Logging filters (settings.LOGGING).

Django logs a refused request (PermissionDenied: 403) at WARNING on `django.request` with the
exception's traceback; a refusal is the site working, so it gets the one line ("Forbidden
(Permission denied): /path") and no traceback. 5xx keep theirs.
"""

import logging


class NoTracebackForClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
