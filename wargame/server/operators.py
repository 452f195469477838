"""Operators of the exercise API: Django users holding the operate_exercises permission, their
API tokens (issued once, stored hashed, revoked), and the authentication of their requests."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Permission, User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from wargame.domain.audience import Role, Seat
from wargame.server.models import OperatorToken
from wargame.server.seats import find_seat, token_hash

logger = logging.getLogger(__name__)

OPERATOR_PREFIX = "op_"
PERMISSION_CODENAME = "operate_exercises"
PERMISSION = f"wargame.{PERMISSION_CODENAME}"
MAX_NAME_CHARS = 64
SEAT_ENDPOINT = "send 'Authorization: Bearer <seat token>'"
OPERATOR_ENDPOINT = "send 'Authorization: Bearer op_<operator token>'"


class OperatorError(ValueError):
    """An operator token cannot be issued or revoked as asked; the message says why."""


@dataclass(frozen=True)
class Operator:
    """An authenticated operator: the user's name and the token it sent."""

    name: str
    token_id: int

    @property
    def member(self) -> str:
        """How the log names the operator: the member of the white-cell seat it acts in."""
        return f"operator:{self.name}"

    def seat(self) -> Seat:
        """The seat `decide` authorizes for the operator's commands: a white-cell seat, made here
        explicitly (operators hold no join link), whose member names the operator."""
        return Seat(role=Role.WHITE_CELL, label=f"Operator {self.name}", member=self.member)


def _permission() -> Permission:
    content_type = ContentType.objects.get_for_model(OperatorToken)
    permission, _ = Permission.objects.get_or_create(
        codename=PERMISSION_CODENAME,
        content_type=content_type,
        defaults={"name": "Create, list and control exercises through the API"},
    )
    return permission


def _check_name(name: str) -> str:
    if not name or len(name) > MAX_NAME_CHARS:
        raise OperatorError(f"an operator name is 1-{MAX_NAME_CHARS} characters")
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError:
        raise OperatorError(
            f"operator name {name[:80]!r}: letters, digits and @ . + - _ only"
        ) from None
    return name


def issue_operator_token(name: str) -> str:
    """A new API token for operator `name`: the Django user of that name (made if new, with no
    usable password) is given the operate_exercises permission. The token is returned once,
    to be printed; only its hash is stored. An inactive user is refused."""
    _check_name(name)
    secret = OPERATOR_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User(username=name)
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            raise OperatorError(f"user {name!r} is inactive; activate it first")
        user.user_permissions.add(_permission())
        row = OperatorToken.objects.create(user=user, token_hash=token_hash(secret), prefix=secret[:10])
    logger.info("operator token issued", extra={"operator": name, "token": row.pk})
    return secret


def revoke_operator_token(name: str, prefix: str = "") -> int:
    """Revoke operator `name`'s tokens (only those starting with `prefix`, if given, as the
    admin shows them); how many were revoked. An unknown operator raises OperatorError."""
    if not User.objects.filter(username=name).exists():
        raise OperatorError(f"no operator {name!r}")
    rows = OperatorToken.objects.filter(user__username=name, revoked=False)
    if prefix:
        rows = rows.filter(prefix__startswith=prefix[:10])
    count = rows.update(revoked=True)
    logger.info("operator tokens revoked", extra={"operator": name, "count": count})
    return count


def operator_is_valid(token_id: int) -> bool:
    """Whether a token is still unrevoked and its user still active and permitted (checked again
    inside a command's transaction)."""
    row = OperatorToken.objects.select_related("user").filter(id=token_id, revoked=False).first()
    return row is not None and row.user.is_active and row.user.has_perm(PERMISSION)


def api_error(status: int, code: str, message: str, **extra: object) -> JsonResponse:
    """The HTTP API's error shape: `{type: "error", code, message}`."""
    return JsonResponse({"type": "error", "code": code, "message": message, **extra}, status=status)


def bearer_token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""


def seat_refusal(request: HttpRequest) -> JsonResponse:
    """What a seat endpoint answers a request without a valid seat token: 403 for an operator's
    token (operators are not seats), else 401."""
    if bearer_token(request).startswith(OPERATOR_PREFIX):
        return api_error(
            403, "operator_token",
            "this endpoint takes a seat token; operator tokens are for /api/exercises",
        )
    return api_error(401, "unauthorized", SEAT_ENDPOINT)


def authenticate_operator(request: HttpRequest) -> Operator | JsonResponse:
    """The operator a request's bearer token belongs to, or the error to answer: 401 without a
    valid token, 403 for a seat's token or an operator no longer permitted."""
    token = bearer_token(request)
    if not token:
        return api_error(401, "unauthorized", OPERATOR_ENDPOINT)
    if not token.startswith(OPERATOR_PREFIX):
        if find_seat(token) is not None:
            message = "this endpoint takes an operator token; a seat's link cannot operate exercises"
            return api_error(403, "seat_token", message)
        return api_error(401, "unauthorized", OPERATOR_ENDPOINT)
    row = None
    if len(token) <= 128:
        row = OperatorToken.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if row is None or row.revoked:
        return api_error(401, "unauthorized", "unknown or revoked operator token")
    if not row.user.is_active or not row.user.has_perm(PERMISSION):
        return api_error(403, "forbidden", f"user {row.user.username!r} may not operate exercises")
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        OperatorToken.objects.filter(id=row.pk).update(last_used_at=now)
    return Operator(name=row.user.username, token_id=row.pk)
