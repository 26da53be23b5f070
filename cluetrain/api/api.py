"""The one NinjaAPI object: routers per domain, auth, the error format, the OpenAPI docs."""

from ninja import NinjaAPI

from cluetrain.api.auth import MEMBER_AUTH
from cluetrain.api.errors import install_handlers

api = NinjaAPI(
    title="Cluetrain API",
    version="1",
    description=(
        "Everything a member can do in the pages. Authenticate with a personal token "
        "(`Authorization: Bearer ct_...`, from /settings/tokens/) or the browser session. "
        'Errors: `{"error": {"code", "message", "field", "details"}}`. Lists take '
        "`cursor` and `limit` (at most 100) and answer `next`."
    ),
    auth=MEMBER_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)


def _add_routers() -> None:
    from cluetrain.api.token_api import router as tokens
    from cluetrain.ideas.api import router as ideas
    from cluetrain.members.api import router as members
    from cluetrain.moderation.api import router as moderation
    from cluetrain.notifications.api import router as notifications
    from cluetrain.reviews.api import router as reviews
    from cluetrain.search.api import router as search
    from cluetrain.spaces.api import router as spaces
    from cluetrain.threads.api import router as threads

    for router in (
        spaces,
        threads,
        reviews,
        ideas,
        members,
        search,
        notifications,
        moderation,
        tokens,
    ):
        api.add_router("", router)


_add_routers()
