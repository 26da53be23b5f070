from django.contrib import admin

from cluetrain.threads.models import Post, PostRevision, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin[Thread]):
    list_display = ["title", "space", "kind", "author", "reply_count", "last_activity_at"]
    list_filter = ["kind", "space", "is_locked", "is_hidden", "is_pinned"]
    search_fields = ["title"]
    raw_id_fields = ["author", "accepted_answer"]
    date_hierarchy = "created_at"


class PostRevisionInline(admin.TabularInline[PostRevision, Post]):
    model = PostRevision
    extra = 0
    readonly_fields = ["body_md", "edited_by", "created_at"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["pk", "thread", "author", "source", "is_staff_reply", "is_hidden", "created_at"]
    list_filter = ["source", "is_staff_reply", "is_hidden", "is_deleted"]
    search_fields = ["body_md"]
    raw_id_fields = ["thread", "parent", "author", "external_author"]
    readonly_fields = ["body_html"]
    inlines = [PostRevisionInline]
