"""The admin: styled (static files served), read-only ids, seqs and hashes, seats issued,
reissued and revoked by the seat service, a read-only job list."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import LiveExercise

pytestmark = [pytest.mark.integration]


@pytest.fixture
def admin_client(live_exercise: LiveExercise, settings: Any) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for tests
    User.objects.create_superuser("ops", "ops@example.org", "pw-ops-1")
    client = Client(raise_request_exception=False)
    assert client.login(username="ops", password="pw-ops-1")
    return client


def test_the_admin_pages_link_stylesheets_that_are_served(admin_client: Client) -> None:
    page = admin_client.get("/admin/")
    assert page.status_code == 200
    sheets = re.findall(r'href="(/static/django/[^"]+\.css)"', page.content.decode())
    assert "/static/django/admin/css/base.css" in sheets
    for sheet in sheets:
        css = Client().get(sheet)  # no session needed: static files
        assert css.status_code == 200, sheet
        assert css["Content-Type"].startswith("text/css")
        assert "max-age" in css["Cache-Control"]
        assert len(b"".join(css.streaming_content) if css.streaming else css.content) > 100
        again = Client().get(sheet, headers={"If-None-Match": css["ETag"]})
        assert again.status_code == 304
    assert Client().get("/static/django/admin/css/nope.css").status_code == 404


def test_exercises_and_events_are_read_only(admin_client: Client, live_exercise: LiveExercise) -> None:
    from wargame.server.models import EventRecord, Exercise

    page = admin_client.get("/admin/wargame/exercise/live1/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="last_seq"' not in html and 'name="id"' not in html and "live1" in html
    before = Exercise.objects.get(id="live1").last_seq
    post = admin_client.post("/admin/wargame/exercise/live1/change/", {"id": "x", "last_seq": 99})
    assert post.status_code == 403 and Exercise.objects.get(id="live1").last_seq == before
    assert admin_client.get("/admin/wargame/exercise/add/").status_code == 403
    assert admin_client.get("/admin/wargame/exercise/live1/delete/").status_code == 403
    event = EventRecord.objects.filter(exercise_id="live1").first()
    assert event is not None
    page = admin_client.get(f"/admin/wargame/eventrecord/{event.pk}/change/")
    assert page.status_code == 200 and event.hash in page.content.decode()
    assert 'name="hash"' not in page.content.decode() and 'name="seq"' not in page.content.decode()
    assert admin_client.get("/admin/wargame/eventrecord/add/").status_code == 403
    changed = admin_client.post(f"/admin/wargame/eventrecord/{event.pk}/change/", {"hash": "0" * 64})
    assert changed.status_code == 403 and EventRecord.objects.get(pk=event.pk).hash == event.hash


def issue(client: Client, **fields: str) -> str:
    page = client.post("/admin/wargame/seat/issue/", fields)
    assert page.status_code == 200
    return page.content.decode()


def test_seats_are_issued_as_the_cli_does_and_never_added_as_bare_rows(
    admin_client: Client, live_exercise: LiveExercise
) -> None:
    from wargame.server.models import Seat
    from wargame.server.seats import find_seat

    # "Add seat" used to save a row with an empty token hash: HTTP 500 the second time.
    assert admin_client.get("/admin/wargame/seat/add/").status_code == 403
    assert admin_client.post("/admin/wargame/seat/add/", {"exercise": "live1"}).status_code == 403
    listing = admin_client.get("/admin/wargame/seat/").content.decode()
    assert "/admin/wargame/seat/issue/" in listing and "/admin/wargame/seat/add/" not in listing
    form = admin_client.get("/admin/wargame/seat/issue/")
    assert form.status_code == 200 and 'name="member"' in form.content.decode()
    tokens = []
    for member in ("Capt. Sato", "Lt. Mori"):
        html = issue(admin_client, exercise="live1", role="player", nation="JPN", member=member)
        [token] = re.findall(r"/play/#seat=([A-Za-z0-9_-]+)", html)
        found = find_seat(token)
        assert found is not None and found[0] == "live1"
        assert (found[1].viewer, found[1].member) == ("team:JPN", member)
        tokens.append(token)
    assert Seat.objects.filter(exercise_id="live1", member__in=["Capt. Sato", "Lt. Mori"]).count() == 2
    assert Seat.objects.filter(token_hash="").count() == 0
    again = issue(admin_client, exercise="live1", role="player", nation="JPN", member="Capt. Sato")
    assert "already holds seat" in again and "/play/#seat=" not in again
    wrong = issue(admin_client, exercise="live1", role="player", nation="XXX", member="Nobody")
    assert "no played nation &#x27;XXX&#x27;" in wrong


def test_revoke_and_reissue_actions(admin_client: Client, live_exercise: LiveExercise) -> None:
    from wargame.server.models import Seat
    from wargame.server.seats import find_seat

    usa = Seat.objects.get(exercise_id="live1", role="player", nation="USA")
    page = admin_client.post(
        "/admin/wargame/seat/", {"action": "reissue_selected", "_selected_action": [usa.pk]}
    )
    assert page.status_code == 200
    [token] = re.findall(r"/play/#seat=([A-Za-z0-9_-]+)", page.content.decode())
    assert find_seat(live_exercise.tokens["team:USA"]) is None and find_seat(token) is not None
    new = Seat.objects.get(exercise_id="live1", role="player", nation="USA", revoked=False)
    done = admin_client.post(
        "/admin/wargame/seat/", {"action": "revoke_selected", "_selected_action": [new.pk]}, follow=True
    )
    assert done.status_code == 200 and "Revoked 1 seat(s)" in done.content.decode()
    assert find_seat(token) is None
    assert admin_client.get(f"/admin/wargame/seat/{new.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/wargame/seat/{new.pk}/change/").content.decode()
    assert 'name="member"' not in page and 'name="revoked"' not in page and "token_hash" not in page


def test_jobs_are_listed_with_state_lease_and_attempts(
    admin_client: Client, live_exercise: LiveExercise
) -> None:
    from wargame.server.models import Job

    lease = timezone.now() + timedelta(seconds=30)
    job = Job.objects.create(
        exercise_id="live1", key="white_cell/adv-1", seat={}, command={"type": "advance_move"},
        run_after=timezone.now(), status="running", owner="host:42", lease_until=lease, attempts=2,
    )
    page = admin_client.get("/admin/wargame/job/")
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("white_cell/adv-1", "running", "host:42", "column-lease_until", "column-attempts"):
        assert text in html, text
    assert admin_client.get("/admin/wargame/job/add/").status_code == 403
    assert admin_client.post(f"/admin/wargame/job/{job.pk}/change/", {"status": "done"}).status_code == 403
    assert Job.objects.get(pk=job.pk).status == "running"


def test_operator_tokens_are_listed_without_their_secret_and_revoked(
    admin_client: Client, live_exercise: LiveExercise
) -> None:
    from wargame.server.models import OperatorToken
    from wargame.server.operators import issue_operator_token

    secret = issue_operator_token("carol")
    row = OperatorToken.objects.get(user__username="carol")
    listing = admin_client.get("/admin/wargame/operatortoken/").content.decode()
    assert "carol" in listing and secret[:10] in listing and secret not in listing
    assert admin_client.get("/admin/wargame/operatortoken/add/").status_code == 403
    assert admin_client.get(f"/admin/wargame/operatortoken/{row.pk}/delete/").status_code == 403
    action = {"action": "revoke_tokens", "_selected_action": [row.pk]}
    done = admin_client.post("/admin/wargame/operatortoken/", action, follow=True)
    assert "Revoked 1 operator token(s)." in done.content.decode()
    row.refresh_from_db()
    assert row.revoked
