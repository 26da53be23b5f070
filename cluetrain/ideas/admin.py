from django.contrib import admin

from cluetrain.ideas.models import Idea, IdeaStatusChange, IdeaVote, VoteBudget


class IdeaStatusChangeInline(admin.TabularInline[IdeaStatusChange, Idea]):
    model = IdeaStatusChange
    extra = 0
    fields = ["created_at", "from_status", "to_status", "explanation", "changed_by"]
    raw_id_fields = ["changed_by"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin[Idea]):
    list_display = ["thread", "status", "vote_count", "product", "status_changed_at"]
    list_filter = ["status", "product"]
    search_fields = ["thread__title"]
    raw_id_fields = ["thread"]
    list_select_related = ["thread", "product"]
    inlines = [IdeaStatusChangeInline]


@admin.register(IdeaVote)
class IdeaVoteAdmin(admin.ModelAdmin[IdeaVote]):
    list_display = ["idea", "member", "created_at"]
    search_fields = ["idea__thread__title", "member__username"]
    raw_id_fields = ["idea", "member"]
    list_select_related = ["idea__thread", "member"]


@admin.register(VoteBudget)
class VoteBudgetAdmin(admin.ModelAdmin[VoteBudget]):
    list_display = ("space", "votes", "set_by", "updated_at")
    raw_id_fields = ("set_by",)
