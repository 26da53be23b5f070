"""Members (customers, staff, partners, moderators, admins), their profiles and connections."""

from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluetrain.members.names import KEY_LENGTH, lookup_keys
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

    # Bulk writes skip Member.save: these keep the members' lookup keys in step too.
    def bulk_create(self, objs: Iterable["Member"], *args: Any, **kwargs: Any) -> list["Member"]:
        with transaction.atomic():
            made = super().bulk_create(objs, *args, **kwargs)
            # Without a primary key (ignore_conflicts on some databases), read the stored row.
            unknown = [m.username for m in made if m.pk is None]
            names = [(m.pk, m.username, m.display_name) for m in made if m.pk is not None]
            if unknown:
                found = self.filter(username__in=unknown)
                names += found.values_list("pk", "username", "display_name")
            conflicts = kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts")
            write_lookup_keys(names, fresh=not conflicts)
        return made

    def bulk_update(
        self, objs: Iterable["Member"], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        objs, fields = list(objs), list(fields)
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        if NAME_FIELDS & set(fields):
            write_lookup_keys((m.pk, m.username, m.display_name) for m in objs)
        return updated


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

    # The username and name the lookup keys were last written for (None: not known).
    _keyed_names: tuple[str, str] | None = None

    class Meta:
        indexes = [models.Index(fields=["role"], name="member_role_idx")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> "Member":
        member = super().from_db(db, field_names, values)
        if "username" in member.__dict__ and "display_name" in member.__dict__:
            member._keyed_names = (member.username, member.display_name)
        return member

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, and write the lookup keys again when the username or the name changed."""
        update_fields = kwargs.get("update_fields")
        if (update_fields is not None and not NAME_FIELDS & set(update_fields)) or (
            self._keyed_names == (self.username, self.display_name)
        ):
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            write_lookup_keys([(self.pk, self.username, self.display_name)])
        self._keyed_names = (self.username, self.display_name)

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


#: The fields the lookup keys are made from.
NAME_FIELDS = frozenset({"username", "display_name"})


class LookupKey(models.Model):
    """What the member picker finds a member by (members/lookup.py): their username and name,
    whole and word by word, folded (lower case, no accents: members/names.py), so that a
    lookup is a range of one index, not a scan of the member table. Written by Member.save and
    the manager's bulk writes; the site search's index (cluetrain/search) cannot serve: it
    stems English words, keeps accents on PostgreSQL and indexes whole profiles."""

    class Kind(models.TextChoices):
        USERNAME = "username", _("Username")
        NAME = "name", _("Name")
        WORD = "word", _("Word of the username or name")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="lookup_keys")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=KEY_LENGTH)

    class Meta:
        indexes = [
            # varchar_pattern_ops: PostgreSQL serves LIKE 'prefix%' from it whatever the
            # database's collation. SQLite ignores operator classes and is given a range.
            models.Index(
                fields=["key", "kind", "member"],
                name="member_lookup_key_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"


def lookup_key_rows(member_id: int, username: str, display_name: str) -> list[LookupKey]:
    keys = lookup_keys(username, display_name)
    rows = [LookupKey(member_id=member_id, kind=LookupKey.Kind.USERNAME, key=keys.username)]
    if keys.name:
        rows.append(LookupKey(member_id=member_id, kind=LookupKey.Kind.NAME, key=keys.name))
    rows += [
        LookupKey(member_id=member_id, kind=LookupKey.Kind.WORD, key=word)
        for word in sorted(keys.words)
    ]
    return rows


def write_lookup_keys(names: Iterable[tuple[int, str, str]], *, fresh: bool = False) -> None:
    """Write the lookup keys of members given as (id, username, display name), in place of
    those they had (`fresh`: they had none, being just made)."""
    names = list(names)
    with transaction.atomic():
        if not fresh:
            for start in range(0, len(names), 500):
                ids = [member_id for member_id, _, _ in names[start : start + 500]]
                LookupKey.objects.filter(member_id__in=ids).delete()
        LookupKey.objects.bulk_create(
            [row for member_id, *named in names for row in lookup_key_rows(member_id, *named)],
            batch_size=2000,
        )


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
