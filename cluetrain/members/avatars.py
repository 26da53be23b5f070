"""Avatars: an uploaded picture decoded by Pillow, cropped square, resized and re-encoded.

Only the pixels survive: the file is written anew as WebP, so EXIF (camera, GPS position),
XMP, ICC profiles, comments and anything appended to the upload are dropped, and what is
served is always a plain image whatever was sent. Without one, a member is shown by initials.
"""

import hashlib
import io
import re
import warnings

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from cluetrain.core.errors import ActionError
from cluetrain.core.sentences import figure

SIZE = 256  # pixels, square; shown at 2.2 to 3.5 rem
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
MAX_PIXELS = 40_000_000  # a larger image is refused before it is decoded
FOLDER = "avatars"
# The names the avatar view serves: nothing else under MEDIA_ROOT is reachable.
NAME = re.compile(r"^[0-9]+-[0-9a-f]{16}\.webp$")


def _refuse(message: str) -> ActionError:
    return ActionError(message, field="avatar")


def process(upload: UploadedFile) -> bytes:
    """The upload as a SIZE x SIZE WebP without metadata; ActionError when it will not do."""
    limit = settings.AVATAR_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise _refuse(
            gettext("That picture is too large (%(size)s MB); up to %(limit)s MB, please.")
            % {
                "size": figure((upload.size or 0) / 1_048_576, 1),
                "limit": figure(limit / 1_048_576, 0),
            }
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(
            gettext("That picture is too large; up to %(limit)s MB, please.")
            % {"limit": figure(limit / 1_048_576, 0)}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in ACCEPTED_FORMATS:
                    raise _refuse(_formats_message(opened.format))
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise _refuse(
                        gettext("That picture has too many pixels; please send a smaller one.")
                    )
                opened.seek(0)  # an animated GIF or WebP: its first frame
                upright = ImageOps.exif_transpose(opened)  # as the camera meant it
                picture = ImageOps.fit(
                    upright.convert("RGBA"), (SIZE, SIZE), Image.Resampling.LANCZOS
                )
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_formats_message(None)) from None
    except (OSError, ValueError, SyntaxError):
        raise _refuse(gettext("That picture could not be read; it may be damaged.")) from None
    # A fresh image holds the pixels and nothing else.
    clean = Image.new("RGBA", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def _formats_message(found: str | None) -> str:
    kinds = ", ".join(ACCEPTED_FORMATS.values())
    if found:
        return gettext("That is a %(found)s file. Please upload a %(kinds)s image.") % {
            "found": found,
            "kinds": kinds,
        }
    return gettext("That is not a picture we can read. Please upload a %(kinds)s image.") % {
        "kinds": kinds
    }


def file_name(member_id: int, data: bytes) -> str:
    return f"{member_id}-{hashlib.sha256(data).hexdigest()[:16]}.webp"
