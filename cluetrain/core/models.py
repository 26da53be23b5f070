"""Rows the core keeps for every app: rate-limit counters."""

from django.db import models


class RateCounter(models.Model):
    """How many times one key (an action and who does it) was used in one fixed window."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="uniq_rate_counter")
        ]

    def __str__(self) -> str:
        return f"{self.key} since {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
