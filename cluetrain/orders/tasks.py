"""The daily resolution as a background task (docs/orders.md: `cluetrain orders resolve`)."""

from django_tasks import task

from cluetrain.orders.resolution import resolve_due


@task()
def resolve_orders() -> int:
    """Resolve every due order; safe to run twice (resolved orders are left as they are)."""
    return resolve_due().orders
