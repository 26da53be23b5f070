"""HMAC-SHA256 signatures over the timestamp and the raw body (docs/webhooks.md)."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Cluetrain-Signature"
TIMESTAMP_HEADER = "X-Cluetrain-Timestamp"
EVENT_HEADER = "X-Cluetrain-Event"
DELIVERY_HEADER = "X-Cluetrain-Delivery"


def signed_bytes(timestamp: int, body: bytes) -> bytes:
    # The timestamp is signed too, so a captured request cannot be replayed later.
    return str(timestamp).encode() + b"." + body


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), signed_bytes(timestamp, body), hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(secret: str, timestamp: int, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def headers(
    *, secret: str, timestamp: int, body: bytes, event: str, event_id: str
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Cluetrain-Webhooks/1",
        EVENT_HEADER: event,
        DELIVERY_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
