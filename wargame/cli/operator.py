"""`wargame operator issue|revoke`: API tokens of the operators who create and run exercises over HTTP."""

from __future__ import annotations

import click

from wargame.cli.common import (
    INVALID,
    NOT_FOUND,
    django_setup,
    examples,
    fail,
    group,
    json_option,
    option,
    print_json,
)


@group(epilog=examples("wargame operator issue ops-lead", "wargame operator revoke ops-lead"))
def operator() -> None:
    """Operators' API tokens for the HTTP API of exercises (docs/http-api.md)."""


@operator.command(
    epilog=examples("wargame operator issue ops-lead", "wargame operator issue ops-lead --json")
)
@click.argument("name", envvar="WARGAME_OPERATOR")
@json_option
def issue(name: str, as_json: bool) -> int:
    """Issue an API token to operator NAME (created if new, with the right to operate exercises).
    The token is printed once: only its hash is kept."""
    django_setup()
    from wargame.server.operators import OperatorError, issue_operator_token

    try:
        token = issue_operator_token(name)
    except OperatorError as exc:
        fail(str(exc), INVALID)
    if as_json:
        print_json({"operator": name, "token": token})
    else:
        click.echo(token)
    return 0


@operator.command(
    epilog=examples("wargame operator revoke ops-lead", "wargame operator revoke ops-lead --prefix op_3fA9")
)
@click.argument("name", envvar="WARGAME_OPERATOR")
@option(
    "--prefix",
    default="",
    envvar="WARGAME_OPERATOR_TOKEN_PREFIX",
    help="only the tokens starting so (default: all)",
)
@json_option
def revoke(name: str, prefix: str, as_json: bool) -> int:
    """Revoke operator NAME's tokens (all, or those starting with --prefix)."""
    django_setup()
    from wargame.server.operators import OperatorError, revoke_operator_token

    try:
        revoked = revoke_operator_token(name, prefix)
    except OperatorError as exc:
        fail(str(exc), NOT_FOUND)
    if as_json:
        print_json({"operator": name, "revoked": revoked})
    else:
        click.echo(f"revoked {revoked} token(s) of operator {name}")
    return 0
