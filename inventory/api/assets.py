"""GET /api/v1/assets and /api/v1/assets/<tag>."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from .. import db
from ..domain.money import ore_to_sek
from ..domain.roles import Role
from ..models import Asset
from ..schemas.asset import AssetPublic
from ..services import asset_list, catalog
from ..web.access import requires
from . import bp


def asset_public(asset: Asset, details: catalog.AssetDetails) -> AssetPublic:
    return AssetPublic(
        tag=asset.tag,
        serial=asset.serial,
        category=details.category_slug,
        model=details.model,
        manufacturer=details.manufacturer,
        owner=details.owner_slug,
        business_unit=details.business_unit,
        location=details.location,
        holder=asset.holder,
        status=asset.status,
        disposal_kind=asset.disposal_kind,
        purchase_date=asset.purchase_date,
        in_service_date=asset.in_service_date,
        price_sek=ore_to_sek(asset.price_ore),
        depreciation_months=asset.depreciation_months,
        warranty_end=asset.warranty_end,
        supplier=asset.supplier,
        order_ref=asset.order_ref,
        hostname=asset.hostname,
        mac=asset.mac,
        ip=asset.ip,
        imei=asset.imei,
        version=asset.version,
        updated_at=asset.updated_at,
    )


@bp.route("/assets/<tag>")
@requires(Role.VIEWER)
def asset(tag: str) -> dict[str, Any]:
    s = db.session()
    found, details = catalog.get_asset_with_details(s, actor=current_user, tag=tag)
    return asset_public(found, details).model_dump(mode="json")


@bp.route("/assets")
@requires(Role.VIEWER)
def assets() -> dict[str, Any]:
    s = db.session()
    flt = asset_list.parse_filter(request.args.to_dict())
    page = asset_list.list_assets(s, actor=current_user, flt=flt)
    return {
        "items": [
            {
                "tag": row.tag,
                "serial": row.serial,
                "category": row.category,
                "model": row.model,
                "manufacturer": row.manufacturer,
                "owner": row.owner_slug,
                "status": row.status.value,
                "holder": row.holder,
                "purchase_date": row.purchase_date.isoformat(),
                "price_sek": str(ore_to_sek(row.price_ore)),
                "location": row.location,
            }
            for row in page.items
        ],
        "total": page.total,
        "page": flt.page,
        "per_page": flt.per_page,
    }
