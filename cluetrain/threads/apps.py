from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "cluetrain.threads"
    label = "threads"

    def ready(self) -> None:
        from cluetrain.members.profile_sections import add_profile_section
        from cluetrain.threads.queries import recent_posts_section

        add_profile_section(recent_posts_section)
