import numpy as np

from cluetrain_analytics.text.themes import (
    Projection,
    auto_k,
    cluster,
    describe,
    fit_projection,
    fit_themes,
    hyphenated_spellings,
    nearest,
    theme_text,
)

TEXTS = [
    theme_text("Solar panels on every school roof", "Solar panels would power the school."),
    theme_text("Community solar panels", "Shared solar panels for the street."),
    theme_text("Cheaper solar panels", "Solar panels for renters, cheaper."),
    theme_text("Bike lanes to school", "Safe bike lanes let kids ride."),
    theme_text("Protected bike lanes", "Protected bike lanes downtown."),
    theme_text("Bike lanes and bike parking", "More bike lanes and parking."),
]


def test_two_topics_become_two_themes_with_phrase_labels() -> None:
    fit = fit_themes(TEXTS, 2)
    assert len(set(fit.labels[:3])) == 1
    assert len(set(fit.labels[3:])) == 1
    assert fit.labels[0] != fit.labels[3]
    labels = {w.label for w in fit.words}
    assert labels == {"Solar panels", "Bike lanes"}
    for words in fit.words:
        assert len(words.representatives) == 3
        assert all(p.split()[0] not in {"the", "and", "for"} for p in words.key_phrases)


def test_a_projection_round_trips_and_embeds_new_posts_near_their_theme() -> None:
    projection = fit_projection(TEXTS)
    again = Projection.from_bytes(projection.to_bytes())
    vectors = again.embed(TEXTS)
    assert np.allclose(vectors, projection.embed(TEXTS))
    labels, centroids = cluster(vectors, 2)
    best, similarity = nearest(centroids, again.embed([theme_text("", "bike lanes please")]))
    assert best[0] == labels[3]
    assert 0 < similarity[0] <= 1.0001


def test_fixed_posts_stay_and_seeds_keep_their_order() -> None:
    vectors = fit_projection(TEXTS).embed(TEXTS)
    _, centroids = cluster(vectors, 2)
    fixed = np.full(len(TEXTS), -1)
    fixed[0] = 1  # a moderator put a solar post with the bikes
    labels, _ = cluster(vectors, 2, seeds=centroids, fixed=fixed)
    assert labels[0] == 1
    assert labels[1] == labels[2]
    words = describe(TEXTS, labels, vectors, centroids)
    assert len(words) == 2


def test_auto_k_grows_slowly_and_is_bounded() -> None:
    assert auto_k(1) == 2
    assert auto_k(400) == 10
    assert auto_k(10**6) == 40


def test_names_keep_hyphens_and_a_theme_of_two_subjects_is_named_by_both() -> None:
    raw = [
        ("Solar-aware schedules", "Run the washer when the panels produce."),
        ("Solar-aware schedules", "Charge the car at noon."),
        ("Solar-aware schedules", "Heat water with the sun."),
        ("Door lock history", "Who opened the door and when."),
        ("Door lock history", "Keep a log of the door lock."),
        ("Door lock history", "Good idea."),
        ("Sensor battery life", "The sensor battery runs out."),
        ("Sensor battery life", "Warn me before the sensor battery is empty."),
        ("Sensor battery life", "Yes please."),
        ("Camera alerts", "Fewer alerts for passing cars."),
    ]
    texts = [theme_text(title, body) for title, body in raw]
    assert "solaraware" in texts[0]  # clustered on joined words, as before
    spellings = hyphenated_spellings(f"{title} {body}" for title, body in raw)
    assert spellings == {"solaraware": ("solar-aware", 3)}
    vectors = fit_projection(texts).embed(texts)
    labels = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 1])  # door lock and batteries in one theme
    centroids = np.stack([vectors[labels == c].mean(axis=0) for c in (0, 1)])
    words = describe(texts, labels, vectors, centroids, spellings=spellings)
    assert words[0].label == "Solar-aware schedules"
    assert "solar-aware schedules" in words[0].key_phrases
    # Neither "door lock history" nor "sensor battery life" is in half of its 7 posts: the
    # name says both.
    assert words[1].label in {
        "Door lock history / sensor battery life",
        "Sensor battery life / door lock history",
    }
