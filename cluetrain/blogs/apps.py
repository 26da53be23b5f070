from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "cluetrain.blogs"
    label = "blogs"

    def ready(self) -> None:
        from cluetrain.blogs.access import followed_blogs_filter
        from cluetrain.blogs.events import BlogPostPublished, BlogPostScheduled
        from cluetrain.blogs.guard import refuse_thread_outside_blogs
        from cluetrain.blogs.tasks import on_published, on_scheduled
        from cluetrain.core.events import Phase, subscribe
        from cluetrain.threads.events import PostCreated
        from cluetrain.threads.feed import register_feed_filter

        register_feed_filter(followed_blogs_filter)
        subscribe(BlogPostPublished, on_published)
        subscribe(BlogPostScheduled, on_scheduled)
        subscribe(PostCreated, refuse_thread_outside_blogs, phase=Phase.IN_TRANSACTION)
