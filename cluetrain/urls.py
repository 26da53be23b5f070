from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from cluetrain.members.views import PasswordResetBySiteName, SignInView, choose_language
from cluetrain.threads import feeds

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language chooser posts here (Django's set_language, remembered on the account).
    path("i18n/setlang/", choose_language, name="set_language"),
    # Before Django's own: the sign-in page that counts failed attempts.
    path("accounts/login/", SignInView.as_view(), name="login"),
    # Before Django's own: the reset e-mail names the site by SITE_NAME, not by the host.
    path("accounts/password_reset/", PasswordResetBySiteName.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Public content only (threads/feeds.py): feeds, the sitemap, robots.txt.
    path("s/<slug:slug>/feed/", feeds.SpaceFeed(), name="space_feed"),
    path("s/<slug:slug>/feed/atom/", feeds.SpaceAtomFeed(), name="space_feed_atom"),
    path("t/<int:thread_id>/feed/", feeds.ThreadFeed(), name="thread_feed"),
    path("t/<int:thread_id>/feed/atom/", feeds.ThreadAtomFeed(), name="thread_feed_atom"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": feeds.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": feeds.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", feeds.robots_txt, name="robots_txt"),
    path("", include("cluetrain.members.urls")),
    path("", include("cluetrain.spaces.urls")),
    path("", include("cluetrain.threads.urls")),
    path("", include("cluetrain.reviews.urls")),
    path("", include("cluetrain.ideas.urls")),
    path("", include("cluetrain.notifications.urls")),
    path("", include("cluetrain.moderation.urls")),
    path("", include("cluetrain.search.urls")),
    path("", include("cluetrain.api_root")),
    path("", include("cluetrain.api.urls")),
    path("", include("cluetrain.imports.urls")),
    path("", include("cluetrain.exports.urls")),
    path("", include("cluetrain.webhooks.urls")),
    path("", include("cluetrain.listening.urls")),
    path("", include("cluetrain.influence.urls")),
    path("", include("cluetrain.relationships.urls")),
    path("", include("cluetrain.expertise.urls")),
    path("", include("cluetrain.reputation.urls")),
    path("", include("cluetrain.partners.urls")),
    path("", include("cluetrain.intents.urls")),
    path("", include("cluetrain.orders.urls")),
    path("", include("cluetrain.jams.urls")),
    path("", include("cluetrain.blogs.urls")),
    path("", include("cluetrain.ops.urls")),
]
# `cluetrain bench web`'s yardsticks (BENCH_VIEWS=1 and the lab installed), never by default.
if settings.BENCH_VIEWS:
    urlpatterns.append(path("", include("cluetrain_lab.bench.urls")))

# Server errors: the site's layout without the database (403 and 404 use Django's own
# handlers with cluetrain/templates/403.html and 404.html).
handler500 = "cluetrain.core.views.server_error"
