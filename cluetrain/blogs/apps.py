from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "cluetrain.blogs"
    label = "blogs"

    def ready(self) -> None:
        from cluetrain.blogs.events import BlogPostPublished, BlogPostScheduled
        from cluetrain.blogs.guard import refuse_thread_outside_blogs
        from cluetrain.blogs.tasks import on_published, on_scheduled
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.threads.events import PostCreated

        subscribe(BlogPostPublished, on_published)
        subscribe(BlogPostScheduled, on_scheduled)
        subscribe(PostCreated, refuse_thread_outside_blogs, phase=Phase.IN_TRANSACTION)
