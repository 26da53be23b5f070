"""Standard Webhooks signatures (https://www.standardwebhooks.com/, docs/webhooks.md).

`webhook-signature` is HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<raw body>`: the
timestamp is signed, so receivers refuse a captured request replayed later. The id is the
event id, the same on every retry, so receivers can de-duplicate.
"""

from datetime import datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret


def headers(*, secret: str, message_id: str, sent_at: datetime, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Cluetrain-Webhooks/2",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, sent_at, body),
    }
