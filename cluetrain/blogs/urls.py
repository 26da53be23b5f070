from django.urls import URLPattern, URLResolver, path

from cluetrain.blogs import feeds, views

# A member's blog lives under "by/", so no username can collide with the fixed paths.
urlpatterns: list[URLPattern | URLResolver] = [
    path("blogs/", views.blog_index, name="blogs"),
    path("blogs/write/", views.write, name="blog_write"),
    path("blogs/settings/", views.blog_settings, name="blog_settings"),
    path("blogs/posts/<int:post_id>/", views.post_page, name="blog_post"),
    path("blogs/posts/<int:post_id>/edit/", views.edit, name="blog_post_edit"),
    path("blogs/posts/<int:post_id>/delete/", views.delete, name="blog_post_delete"),
    path("blogs/tags/<slug:slug>/", views.tag_page, name="blog_tag"),
    path("blogs/tags/<slug:slug>/feed/", feeds.TagFeed(), name="blog_tag_feed"),
    path("blogs/by/<str:username>/", views.blog_page, name="blog"),
    path("blogs/by/<str:username>/feed/", feeds.BlogFeed(), name="blog_feed"),
    path("blogs/by/<str:username>/follow/", views.follow, name="blog_follow"),
]
