"""/api/v1/tokens: a user's API tokens, made (shown once), listed and revoked; an
administrator for all owners makes them for others and sees everyone's."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify

from .. import db
from ..domain.errors import PermissionDenied
from ..domain.roles import Role
from ..domain.text import N_
from ..services import tokens
from ..web.access import requires
from ..web.helpers import now, signed_in
from . import bp
from .bodies import NewToken, TokenCreate, TokenItem, TokenList
from .spec import body_of, documented


def _item(row: tokens.TokenRow) -> dict[str, Any]:
    return TokenItem(**vars(row)).model_dump(mode="json")


@bp.route("/tokens")
@requires(Role.VIEWER)
@documented("GET", "/tokens", summary="Your API tokens (an administrator: everyone's)",
            tag="Tokens", role=Role.VIEWER, response=TokenList)  # fmt: skip
def list_tokens() -> dict[str, Any]:
    return {"items": [_item(r) for r in tokens.list_tokens(db.session(), actor=signed_in())]}


@bp.route("/tokens", methods=["POST"])
@requires(Role.VIEWER)
@documented("POST", "/tokens", summary="Make a token; its secret is shown this once",
            tag="Tokens", role=Role.VIEWER, body=TokenCreate, response=NewToken, status=201,
            errors=(422,))  # fmt: skip
def create_token() -> tuple[Response, int]:
    if g.get("via_token"):
        # A token that makes tokens would outlive its own revocation.
        raise PermissionDenied(N_("Tokens are made by someone logged in, not with a token."))
    body = body_of(TokenCreate)
    row, secret = tokens.create(
        db.session(), actor=signed_in(), name=body.name, days=body.expires_in_days, now=now(),
        for_email=body.user,
    )  # fmt: skip
    return jsonify(NewToken(**vars(row), token=secret).model_dump(mode="json")), 201


@bp.route("/tokens/<int:token_id>", methods=["DELETE"])
@requires(Role.VIEWER)
@documented("DELETE", "/tokens/{token_id}", summary="Revoke a token", tag="Tokens",
            role=Role.VIEWER, status=204, errors=(404,),
            path_params={"token_id": "The token's id."})  # fmt: skip
def revoke_token(token_id: int) -> tuple[str, int]:
    tokens.revoke(db.session(), actor=signed_in(), token_id=token_id)
    return "", 204
