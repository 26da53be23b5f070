"""Secrets move to the Standard Webhooks form (`whsec_` + base64) and keep their HMAC key.

Before, the secret's text itself was the HMAC key; now the key is the base64 inside the
`whsec_` secret. Encoding the old text keeps every endpoint's key: a receiver may verify
with the new `whsec_` secret shown on the endpoint's page or with the old text's bytes.
"""

import base64

from django.db import migrations

PREFIX = "whsec_"


def to_standard(apps, schema_editor):
    WebhookEndpoint = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in WebhookEndpoint.objects.exclude(secret__startswith=PREFIX):
        endpoint.secret = PREFIX + base64.b64encode(endpoint.secret.encode()).decode()
        endpoint.save(update_fields=["secret"])


def to_legacy(apps, schema_editor):
    WebhookEndpoint = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in WebhookEndpoint.objects.filter(secret__startswith=PREFIX):
        key = base64.b64decode(endpoint.secret.removeprefix(PREFIX))
        try:
            endpoint.secret = key.decode("ascii")
        except UnicodeDecodeError:
            continue  # A key made since: its whsec_ text serves as an old-style secret.
        endpoint.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial")]

    operations = [migrations.RunPython(to_standard, to_legacy)]
