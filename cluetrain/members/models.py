"""Members (customers, staff, partners, moderators, admins), their profiles and connections."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluetrain.organizations.models import Organization
from cluetrain.topics.models import Topic


def initials(name: str) -> str:
    """Up to two letters for an avatar without a picture: "Alice Archer" -> "AA"."""
    words = [w for w in name.replace("_", " ").replace(".", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:1] + words[1:][-1:])
    return letters.upper() or "?"


class MemberManager(UserManager["Member"]):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "Member":
        # A superuser runs the community too: with the default Customer role the staff pages
        # (moderation, /staff/queue/) would refuse the site's first administrator.
        extra_fields.setdefault("role", Member.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class Member(AbstractUser):
    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        STAFF = "staff", _("Staff")
        PARTNER = "partner", _("Partner")
        MODERATOR = "moderator", _("Moderator")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CUSTOMER)
    display_name = models.CharField(max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # The avatar's file name in the default storage (members/avatars.py); empty: initials.
    avatar = models.CharField(max_length=100, blank=True)
    # Chosen with the site's language chooser (members.views.choose_language); e-mails are
    # written in it. Empty: the site's language.
    language = models.CharField(max_length=10, blank=True)

    objects: ClassVar[MemberManager] = MemberManager()

    class Meta:
        indexes = [models.Index(fields=["role"], name="member_role_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def avatar_url(self) -> str:
        return reverse("avatar_file", args=[self.avatar]) if self.avatar else ""

    @property
    def initials(self) -> str:
        return initials(self.name)

    @property
    def is_company_staff(self) -> bool:
        """Speaks for the company: staff replies are marked, staff-only spaces are open."""
        return self.role in COMPANY_STAFF_ROLES

    @property
    def can_moderate(self) -> bool:
        return self.role in {self.Role.MODERATOR, self.Role.ADMIN}


#: The roles that speak for the company (`Member.is_company_staff`), for queries by role.
COMPANY_STAFF_ROLES = frozenset({Member.Role.STAFF, Member.Role.MODERATOR, Member.Role.ADMIN})


class Profile(models.Model):
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="profile")
    headline = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True, db_index=True)
    expertise = models.ManyToManyField(Topic, blank=True, related_name="experts")
    interests = models.ManyToManyField(Topic, blank=True, related_name="interested")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.member}"


class Connection(models.Model):
    """A directed tie. Follow and trust are one-sided; connect is mutual once accepted."""

    class Kind(models.TextChoices):
        FOLLOW = "follow", _("Follows")
        CONNECT = "connect", _("Connected")
        TRUST = "trust", _("Trusts")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    from_member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="connections_out"
    )
    to_member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="connections_in")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    created_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_member", "to_member", "kind"], name="uniq_connection"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_member=models.F("to_member")), name="no_self_connection"
            ),
        ]
        indexes = [
            models.Index(fields=["to_member", "kind", "status"], name="conn_in_idx"),
            models.Index(fields=["from_member", "kind", "status"], name="conn_out_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_member_id} {self.kind} {self.to_member_id} ({self.status})"
