"""Who is away: the expert finder ranks them lower and says why; their profile shows it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Away(models.Model):
    """A member marked away until a date (inclusive), with a note for those who look."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="away"
    )
    until = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member_id} away until {self.until}"

    @property
    def current(self) -> bool:
        return self.until >= timezone.localdate()

    @property
    def reason(self) -> str:
        said = f"away until {self.until:%b %-d}"
        return f"{said}: {self.note}" if self.note else said
