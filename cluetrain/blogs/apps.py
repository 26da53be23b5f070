from django.apps import AppConfig


class BlogsConfig(AppConfig):
    name = "cluetrain.blogs"
    label = "blogs"
