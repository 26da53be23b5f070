from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from cluetrain.members.models import Connection, Member, Profile
from cluetrain.members.signin import do_unlock


class ProfileInline(admin.StackedInline[Profile, Member]):
    model = Profile
    can_delete = False
    filter_horizontal = ("expertise", "interests")


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = Member
        fields = ("username",)


class MemberChangeForm(UserChangeForm[Member]):
    class Meta:
        model = Member
        fields = "__all__"


@admin.register(Member)
class MemberAdmin(UserAdmin[Member]):
    form = MemberChangeForm
    add_form = MemberCreationForm
    list_display = ("username", "display_name", "email", "role", "organization", "is_active")
    list_filter = ("role", "is_active", "is_staff", "organization")
    search_fields = ("username", "display_name", "email")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    inlines = (ProfileInline,)
    actions = ("unlock_sign_in",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Community", {"fields": ("role", "display_name", "organization")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Community", {"fields": ("role", "display_name", "email")}),
    )

    @admin.action(description="Unlock sign-in (forget failed attempts)")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        for member in queryset:
            do_unlock(member.username)
        self.message_user(
            request, f"Unlocked {queryset.count()} member(s): they may sign in again."
        )


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin[Connection]):
    list_display = ("from_member", "kind", "to_member", "status", "created_at", "responded_at")
    list_filter = ("kind", "status")
    search_fields = ("from_member__username", "to_member__username")
    list_select_related = ("from_member", "to_member")
    raw_id_fields = ("from_member", "to_member")
    date_hierarchy = "created_at"
