"""A member who may not see a staff page is told why in their own language."""

import pytest
from django.test import Client

from conftest import PASSWORD, Cast

FRENCH = {"accept-language": "fr-FR,fr;q=0.9"}


@pytest.mark.parametrize(
    ("path", "english", "french"),
    [
        (
            "/influence/",
            "Only staff see influence, alerts and the engagement inbox.",
            "Seul le personnel voit l'influence, les alertes et la boîte d'engagement.",
        ),
        (
            "/staff/webhooks/",
            "Only staff and administrators manage webhooks.",
            "Seuls le personnel et les administrateurs gèrent les webhooks.",
        ),
        ("/listening/", "Listening is for staff.", "L'écoute est réservée au personnel."),
        (
            "/staff/queue/",
            "The queue's health is for staff.",
            "L'état de la file d'attente est réservé au personnel.",
        ),
    ],
)
def test_a_customer_refused_a_staff_page_reads_why_in_french(
    cast: Cast, client: Client, path: str, english: str, french: str
) -> None:
    assert client.login(username=cast.alice.username, password=PASSWORD)
    page = client.get(path, headers=FRENCH)
    assert page.status_code == 403
    text = page.content.decode()
    assert english not in text.replace("&#x27;", "'")
    assert french in text.replace("&#x27;", "'")
