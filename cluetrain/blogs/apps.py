from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "cluetrain.blogs"
    label = "blogs"

    def ready(self) -> None:
        from cluetrain.blogs.events import BlogPostPublished, BlogPostScheduled
        from cluetrain.blogs.tasks import on_published, on_scheduled
        from cluetrain.core.events import subscribe

        subscribe(BlogPostPublished, on_published)
        subscribe(BlogPostScheduled, on_scheduled)
