"""GET /api/v1/assets and /api/v1/assets/<tag>."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request, url_for

from .. import db
from ..domain.dates import parse_date
from ..domain.lifecycle import LifecycleFacts
from ..domain.money import ore_to_sek
from ..domain.roles import Role
from ..models import Asset
from ..schemas.asset import AssessmentPublic, AssetPublic, AttachmentPublic
from ..services import asset_list, attachments, catalog, reference
from ..web.access import requires
from ..web.formatting import reason_text
from ..web.helpers import signed_in, today, translate
from . import bp


def asset_public(
    asset: Asset,
    details: catalog.AssetDetails,
    facts: LifecycleFacts,
) -> AssetPublic:
    return AssetPublic(
        tag=asset.tag,
        serial=asset.serial,
        category=details.category_slug,
        model=details.model,
        manufacturer=details.manufacturer,
        owner=details.owner_slug,
        business_unit=details.business_unit,
        service_object=details.service_object,
        location=details.location,
        holder=asset.holder,
        status=asset.status,
        disposal_kind=asset.disposal_kind,
        disposed_on=asset.disposed_on,
        proceeds_sek=None if asset.proceeds_ore is None else ore_to_sek(asset.proceeds_ore),
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
        end_of_support=details.end_of_support,
        age_years=facts.age_years,
        book_value_sek=ore_to_sek(facts.book_value_ore),
        depreciation_end=facts.depreciation_end,
        due_date=facts.due_date,
        flags=[flag.value for flag in facts.flags],
        reasons=[reason_text(reason) for reason in facts.reasons],
    )


@bp.route("/assets/<tag>")
@requires(Role.VIEWER)
def asset(tag: str) -> dict[str, Any]:
    s = db.session()
    on = reference_date(request.args.get("on"))
    found, details, aliases, assessment = catalog.read_asset_for_api(s, actor=signed_in(), tag=tag)
    facts = catalog.lifecycle_facts(found, details, today=on)
    public = asset_public(found, details, facts)
    decision = details.capitalisation
    if decision is not None:
        public.capitalised = decision.capitalised
        public.capitalisation_reason = translate(decision.reason.label)
    public.aliases = aliases
    if assessment is not None:
        files = assessment.pop("attachments")
        public.assessment = AssessmentPublic(
            **assessment, attachments=[attachment_public(f) for f in files]
        )
    return public.model_dump(mode="json")


def attachment_public(info: attachments.AttachmentInfo) -> AttachmentPublic:
    return AttachmentPublic(
        id=info.id,
        kind=info.kind.value,
        filename=info.filename,
        content_type=info.content_type,
        size_bytes=info.size_bytes,
        sha256=info.sha256,
        uploaded_at=info.uploaded_at,
        uploaded_by=info.uploaded_by,
        url=url_for("attachments.download", tag=info.tag, file_id=info.id),
    )


def reference_date(raw: str | None) -> dt.date:
    """?on=YYYY-MM-DD: the day the figures are computed for (default: today)."""
    return parse_date(raw, field="on") or today()


@bp.route("/categories")
@requires(Role.VIEWER)
def categories() -> dict[str, Any]:
    rows = sorted(reference.list_categories(db.session(), actor=signed_in()), key=lambda c: c.slug)
    return {
        "items": [
            {
                "slug": c.slug,
                "name": c.name,
                "depreciation_months": c.depreciation_months,
                "target_lifespan_months": c.target_lifespan_months,
                "horizon_months": c.horizon_months,
            }
            for c in rows
        ]
    }


@bp.route("/assets")
@requires(Role.VIEWER)
def assets() -> dict[str, Any]:
    s = db.session()
    flt = asset_list.parse_filter(request.args.to_dict())
    page = asset_list.list_assets(s, actor=signed_in(), flt=flt)
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
