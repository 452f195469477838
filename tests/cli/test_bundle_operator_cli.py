"""`wargame exercise export|import` and `wargame operator issue|revoke` on the real store."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import LiveExercise
from wargame.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_under_another_id(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from wargame.server.runtime import get_service

    bundle = tmp_path / "live1.zip"
    code, out, err = run(capsys, "exercise", "export", "live1", "--out", str(bundle), "--json", "--quiet")
    assert (code, err) == (0, "")
    exported = json.loads(out)
    head = get_service().store.read_last_seq("live1")
    assert exported["exercise_id"] == "live1" and exported["events"] == head
    assert "manifest.json" in zipfile.ZipFile(bundle).namelist()

    code, _, err = run(capsys, "exercise", "import", str(bundle))
    assert code == 4 and "exercise_exists" in err and err.startswith("error: ")

    code, out, err = run(capsys, "exercise", "import", str(bundle), "--as", "copy1", "--json", "--quiet")
    assert code == 0, err
    imported = json.loads(out)
    assert imported["exercise_id"] == "copy1" and imported["source_head"] == exported["head"]
    assert imported["events"] == exported["events"] and imported["links"]
    code, out, _ = run(capsys, "exercise", "verify", "copy1")
    assert code == 0 and json.loads(out)["problems"] == []


def test_a_tampered_or_missing_bundle_is_refused(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bundle, tampered = tmp_path / "a.zip", tmp_path / "b.zip"
    assert run(capsys, "exercise", "export", "live1", "--out", str(bundle), "--quiet")[0] == 0
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "log.jsonl":
                data = data.replace(b'"title"', b'"Title"', 1)
            target.writestr(item, data)
    code, _, err = run(capsys, "exercise", "import", str(tampered), "--as", "bad1")
    assert code in (1, 4) and err.startswith("error: ")
    assert run(capsys, "exercise", "list", "--json")[1].count('"bad1"') == 0
    code, _, err = run(capsys, "exercise", "import", str(tmp_path / "none.zip"))
    assert code == 3 and "no bundle file" in err


def test_operator_tokens_are_issued_once_and_revoked(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "operator", "issue", "ops-lead", "--json")
    assert code == 0
    token = json.loads(out)["token"]
    assert token.startswith("op_")
    from wargame.server.models import OperatorToken

    (stored,) = OperatorToken.objects.filter(user__username="ops-lead")
    assert token.startswith(stored.prefix) and stored.token_hash not in token and not stored.revoked
    code, out, _ = run(capsys, "operator", "revoke", "ops-lead", "--json")
    assert code == 0 and json.loads(out) == {"operator": "ops-lead", "revoked": 1}
    stored.refresh_from_db()
    assert stored.revoked
    code, _, err = run(capsys, "operator", "revoke", "nobody")
    assert code == 3 and "no operator" in err
