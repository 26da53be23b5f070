"""Date formats per language (settings.FORMAT_MODULE_PATH), beside Django's own.

Pages show dates as SHORT_DATE_FORMAT ("5 Dec 2026") and SHORT_DATETIME_FORMAT ("5 Dec 2026
18:00"). French writes month abbreviations in lower case ("5 déc 2026"): Django's "M" capitalises
them whatever the language, "b" does not.
"""
