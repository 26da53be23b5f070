"""Who may call each API operation, as data: the permission matrix test walks every operation
the API registers against this table, so a new endpoint without an entry fails the test.

Keys are "METHOD /api/path" as in the OpenAPI schema. The values name the roles allowed on the
test's target object (see cluetrain/api/tests/test_permissions.py for the targets: e.g. the
post edited is the customer's own). Everyone else is refused with 401, 403 or 404.
"""

ANONYMOUS = "anonymous"
CUSTOMER = "customer"
PARTNER = "partner"
STAFF = "staff"
MODERATOR = "moderator"
ADMIN = "admin"
ROLES = (ANONYMOUS, CUSTOMER, PARTNER, STAFF, MODERATOR, ADMIN)

EVERYONE = frozenset(ROLES)
MEMBERS = EVERYONE - {ANONYMOUS}
COMPANY_STAFF = frozenset({STAFF, MODERATOR, ADMIN})
MODERATORS = frozenset({MODERATOR, ADMIN})
AUTHOR_OR_MODERATORS = frozenset({CUSTOMER}) | MODERATORS
ASKER_OR_STAFF = frozenset({CUSTOMER}) | COMPANY_STAFF
ONLY_THE_ONE_ASKED = frozenset({CUSTOMER})

MATRIX: dict[str, frozenset[str]] = {
    # spaces
    "GET /api/spaces": EVERYONE,
    "GET /api/spaces/{slug}": EVERYONE,
    "POST /api/spaces/{slug}/follow": MEMBERS,
    "DELETE /api/spaces/{slug}/follow": MEMBERS,
    "GET /api/spaces/{slug}/threads": EVERYONE,
    "POST /api/spaces/{slug}/threads": MEMBERS,
    # threads and posts
    "GET /api/threads/{thread_id}": EVERYONE,
    "GET /api/threads/{thread_id}/posts": EVERYONE,
    "POST /api/threads/{thread_id}/posts": MEMBERS,
    "POST /api/threads/{thread_id}/follow": MEMBERS,
    "DELETE /api/threads/{thread_id}/follow": MEMBERS,
    "GET /api/posts/{post_id}": EVERYONE,
    "PATCH /api/posts/{post_id}": AUTHOR_OR_MODERATORS,
    "DELETE /api/posts/{post_id}": AUTHOR_OR_MODERATORS,
    "POST /api/posts/{post_id}/reactions": MEMBERS,
    "POST /api/posts/{post_id}/accept": ASKER_OR_STAFF,
    "GET /api/posts/{post_id}/revisions": EVERYONE,
    # reviews
    "GET /api/products": EVERYONE,
    "GET /api/products/{slug}/reviews": EVERYONE,
    "POST /api/products/{slug}/reviews": MEMBERS,
    "POST /api/reviews/{review_id}/helpful": MEMBERS,
    "DELETE /api/reviews/{review_id}/helpful": MEMBERS,
    # ideas
    "GET /api/ideas": EVERYONE,
    "POST /api/ideas": MEMBERS,
    "GET /api/ideas/{idea_id}": EVERYONE,
    "POST /api/ideas/{idea_id}/vote": MEMBERS,
    "DELETE /api/ideas/{idea_id}/vote": MEMBERS,
    "POST /api/ideas/{idea_id}/status": COMPANY_STAFF,
    # ideas at scale: duplicates, merges, the explained ranking, followers, roadmap, budgets
    "GET /api/ideas/similar": EVERYONE,
    "POST /api/ideas/{idea_id}/merge/{into_id}": COMPANY_STAFF,
    "POST /api/ideas/{idea_id}/follow": MEMBERS,
    "DELETE /api/ideas/{idea_id}/follow": MEMBERS,
    "GET /api/ideas/ranking": EVERYONE,
    "GET /api/ideas/{idea_id}/rank": EVERYONE,
    "GET /api/ideas/{idea_id}/history": EVERYONE,
    "GET /api/ideas/roadmap": EVERYONE,
    "PUT /api/ideas/budgets/{slug}": COMPANY_STAFF,
    # members and connections
    "GET /api/me": MEMBERS,
    "PATCH /api/me/profile": MEMBERS,
    "GET /api/members": EVERYONE,
    "GET /api/members/{username}": EVERYONE,
    "GET /api/lookup/members": MEMBERS,
    "POST /api/members/{username}/follow": MEMBERS,
    "DELETE /api/members/{username}/follow": MEMBERS,
    "POST /api/members/{username}/connection": MEMBERS,
    "DELETE /api/members/{username}/connection": MEMBERS,
    "GET /api/connections": MEMBERS,
    "POST /api/connections/{connection_id}/respond": ONLY_THE_ONE_ASKED,
    # search
    "GET /api/search/posts": EVERYONE,
    "GET /api/search/people": EVERYONE,
    # notifications
    "GET /api/notifications": MEMBERS,
    "POST /api/notifications/read": MEMBERS,
    # flags and moderation
    "POST /api/posts/{post_id}/flags": MEMBERS,
    "GET /api/moderation/flags": MODERATORS,
    "POST /api/moderation/flags/{flag_id}/resolve": MODERATORS,
    "POST /api/moderation/posts/{post_id}": MODERATORS,
    "POST /api/moderation/threads/{thread_id}": MODERATORS,
    "GET /api/moderation/log": MODERATORS,
    # moderation: contributions held by the spam filter
    "GET /api/moderation/held": MODERATORS,
    "POST /api/moderation/held/{screening_id}": MODERATORS,
    # relationships
    "GET /api/relationships": MEMBERS,
    "GET /api/relationships/with/{username}": MEMBERS,
    "POST /api/relationships/expressions": MEMBERS,
    "DELETE /api/relationships/events/{event_id}": MEMBERS,
    "POST /api/relationships/events/{event_id}/correction": MEMBERS,
    "GET /api/relationships/map": COMPANY_STAFF,
    # expertise
    "GET /api/threads/{thread_id}/experts": MEMBERS,
    "POST /api/threads/{thread_id}/experts/invitations": MEMBERS,
    "GET /api/experts": MEMBERS,
    "GET /api/experts/away": MEMBERS,
    "PUT /api/experts/away": MEMBERS,
    "DELETE /api/experts/away": MEMBERS,
    "POST /api/experts/team": COMPANY_STAFF,
    # partners
    "GET /api/partners/categories": MEMBERS,
    "POST /api/partners/categories": COMPANY_STAFF,
    "PUT /api/partners/categories/order": COMPANY_STAFF,
    "PATCH /api/partners/categories/{slug}": COMPANY_STAFF,
    "GET /api/partners": MEMBERS,
    "GET /api/partners/inbox": frozenset({PARTNER}),
    "POST /api/partners/bundles": MEMBERS,
    "GET /api/partners/{slug}": MEMBERS,
    "POST /api/referrals": MEMBERS,
    "GET /api/referrals": MEMBERS,
    "GET /api/referrals/{referral_id}": frozenset({CUSTOMER, PARTNER}) | COMPANY_STAFF,
    "POST /api/referrals/{referral_id}/accept": frozenset({PARTNER}),
    "POST /api/referrals/{referral_id}/decline": frozenset({PARTNER}),
    "POST /api/referrals/{referral_id}/outcome": frozenset({CUSTOMER, PARTNER}),
    "POST /api/referrals/{referral_id}/rating": ONLY_THE_ONE_ASKED,
    # intents (personal requests and offers)
    "GET /api/requests": MEMBERS,
    "POST /api/requests": MEMBERS,
    "GET /api/requests/{request_id}": frozenset({CUSTOMER, PARTNER}),  # hers; sent to Pat's
    "PATCH /api/requests/{request_id}": frozenset({CUSTOMER}),
    "DELETE /api/requests/{request_id}": frozenset({CUSTOMER}),
    "POST /api/requests/{request_id}/status": frozenset({CUSTOMER}),
    "GET /api/requests/{request_id}/offers": frozenset({CUSTOMER, PARTNER}),
    "POST /api/requests/{request_id}/offers": frozenset({PARTNER}),
    "POST /api/requests/{request_id}/offers/{offer_id}/accept": frozenset({CUSTOMER}),
    "GET /api/requests/{request_id}/messages": frozenset({CUSTOMER, PARTNER}),
    "POST /api/requests/{request_id}/messages": frozenset({CUSTOMER, PARTNER}),
    "POST /api/requests/{request_id}/rating": frozenset({CUSTOMER, PARTNER}),
    "GET /api/vendor/requests": frozenset({PARTNER}),
    "GET /api/vendor/offers": frozenset({PARTNER}),
    "POST /api/vendor/offers/{offer_id}/withdraw": frozenset({PARTNER}),
    # orders
    "GET /api/orders/listings": MEMBERS,
    "GET /api/orders": MEMBERS,
    "POST /api/orders": MEMBERS,
    "GET /api/orders/board": frozenset({PARTNER}),
    "GET /api/orders/resolutions": COMPANY_STAFF,
    "POST /api/orders/resolutions": COMPANY_STAFF,
    "GET /api/orders/{order_id}": ASKER_OR_STAFF,
    "POST /api/orders/{order_id}/claim": frozenset({PARTNER}),
    "POST /api/orders/{order_id}/decline": frozenset({PARTNER}),
    "POST /api/orders/{order_id}/ship": frozenset({PARTNER}),
    "POST /api/orders/{order_id}/deliver": frozenset({CUSTOMER, PARTNER}),
    "POST /api/orders/{order_id}/rating": frozenset({CUSTOMER}),
    # jams
    "GET /api/jams": EVERYONE,
    "POST /api/jams": COMPANY_STAFF,
    "GET /api/jams/{slug}": EVERYONE,
    "POST /api/jams/{slug}/ideas": MEMBERS,
    "GET /api/jams/{slug}/themes": EVERYONE,
    "POST /api/jams/{slug}/themes/{theme_id}/rename": COMPANY_STAFF,  # sam hosts the jam
    "POST /api/jams/{slug}/themes/{theme_id}/merge/{into_id}": COMPANY_STAFF,
    "POST /api/jams/{slug}/themes/{theme_id}/split/{post_id}": COMPANY_STAFF,
    "POST /api/jams/{slug}/posts/{post_id}/highlight": frozenset({STAFF}),  # its host only
    "GET /api/jams/{slug}/report": EVERYONE,
    # blogs (the post written to is alice's draft; the blog followed is bob's)
    "GET /api/blogs": EVERYONE,
    "GET /api/blogs/tags/{slug}": EVERYONE,
    "POST /api/blogs/posts": MEMBERS,
    "GET /api/blogs/posts/{post_id}": EVERYONE,  # published; drafts: test_api.py
    "PATCH /api/blogs/posts/{post_id}": frozenset({CUSTOMER}),
    "DELETE /api/blogs/posts/{post_id}": frozenset({CUSTOMER}),
    "POST /api/blogs/posts/{post_id}/publish": frozenset({CUSTOMER}),
    "PUT /api/blogs/mine": MEMBERS,
    "GET /api/blogs/by/{username}": EVERYONE,
    "GET /api/blogs/by/{username}/posts": EVERYONE,
    "POST /api/blogs/by/{username}/follow": MEMBERS,
    "DELETE /api/blogs/by/{username}/follow": MEMBERS,
    # tokens
    "GET /api/tokens": MEMBERS,
    "POST /api/tokens": MEMBERS,
    "DELETE /api/tokens/{token_id}": MEMBERS,
}
