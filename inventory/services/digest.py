"""The weekly digest to each owner's technicians: newly overdue, due soon, end of support,
and what waits in the reuse pool. Read from the flags the nightly job stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlmodel import Session, col, select

from ..domain.lifecycle import Flag
from ..domain.roles import Role
from ..domain.statuses import Status
from ..models import Asset, AssetFlag, Location, Manufacturer, Model, Owner, Site, User
from . import scope
from .catalog import location_name

# Assets listed per section; the rest is a count.
LISTED = 30


@dataclass(frozen=True)
class DigestLine:
    """One asset as the digest lists it: enough to find it without opening the register."""

    tag: str
    model: str  # "Dell Latitude 5440"
    holder: str | None
    place: str | None  # "Slottsskolan Hus A A12"

    @property
    def who_or_where(self) -> str:
        """Whom the device is out with, else where it is (the mail is in Swedish)."""
        if self.holder:
            return f"hos {self.holder}"
        return f"på {self.place}" if self.place else "ingen plats angiven"


@dataclass
class Digest:
    owner: Owner | None  # None: every owner, for technicians not limited to one
    recipients: list[str]
    sections: dict[str, list[DigestLine]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(self.sections.values())


SECTIONS = (
    ("Newly overdue (due in the last 7 days)", "newly_overdue"),
    ("Due within the planning horizon", Flag.DUE_SOON.value),
    ("Manufacturer support ended", Flag.END_OF_SUPPORT.value),
    ("In the reuse pool, ready to hand out", "reuse_pool"),
)


def compose(session: Session, *, today: dt.date) -> list[Digest]:
    technicians = session.exec(
        select(User).where(
            col(User.active), col(User.role).in_([Role.TECHNICIAN.value, Role.ADMIN.value])
        )
    ).all()
    digests = []
    for owner in [None, *session.exec(select(Owner).order_by(col(Owner.id)))]:
        owner_id = owner.id if owner else None
        recipients = sorted(u.email for u in technicians if u.owner_id == owner_id)
        if not recipients:
            continue
        digest = Digest(owner=owner, recipients=recipients)
        digest.sections = {key: _lines(session, key, owner_id, today) for _, key in SECTIONS}
        if not digest.is_empty():
            digests.append(digest)
    return digests


def _lines(session: Session, key: str, owner_id: int | None, today: dt.date) -> list[DigestLine]:
    """A section's assets with their model, holder and place: one query with the joins."""
    query = (
        select(  # type: ignore[call-overload]
            Asset.tag,
            Manufacturer.name,
            Model.name,
            Asset.holder,
            Site.name,
            Location.building,
            Location.room,
        )
        .join(Model, col(Model.id) == Asset.model_id)
        .join(Manufacturer, col(Manufacturer.id) == Model.manufacturer_id)
        .outerjoin(Location, col(Location.id) == Asset.location_id)
        .outerjoin(Site, col(Site.id) == Location.site_id)
    )
    if key == "reuse_pool":
        query = query.where(col(Asset.status) == Status.REUSE_POOL.value)
    else:
        flag = Flag.OVERDUE.value if key == "newly_overdue" else key
        query = query.join(AssetFlag, col(AssetFlag.asset_id) == Asset.id).where(
            AssetFlag.flag == flag
        )
        if key == "newly_overdue":
            query = query.where(col(AssetFlag.due_date) >= today - dt.timedelta(days=7))
    # What a technician scoped to the owner would see (all owners' for the unscoped).
    query = query.where(scope.for_owner(owner_id, Asset))
    return [
        DigestLine(
            tag=tag,
            model=f"{maker} {model}",
            holder=holder or None,
            place=location_name(site, building, room) if site is not None else None,
        )
        for tag, maker, model, holder, site, building, room in session.exec(
            query.order_by(col(Asset.tag))
        )
    ]


def as_messages(
    digests: list[Digest], *, sender: str, base_url: str, today: dt.date
) -> list[EmailMessage]:
    """Plain text in Swedish: the team reads it in Swedish, whatever the interface language."""
    titles = {
        "newly_overdue": "Nyss passerat utbytesdatum (senaste 7 dagarna)",
        Flag.DUE_SOON.value: "Utbyte inom planeringshorisonten",
        Flag.END_OF_SUPPORT.value: "Tillverkarens support har upphört",
        "reuse_pool": "I återbrukslagret, redo att lämnas ut",
    }
    messages = []
    for digest in digests:
        whose = digest.owner.name if digest.owner else "alla ägare"
        lines = [
            f"Veckosammanfattning från inventarieregistret, {today.isoformat()} ({whose}).",
            "",
        ]
        for key, assets in digest.sections.items():
            lines.append(f"{titles[key]}: {len(assets)}")
            lines += [
                f"  {a.tag} · {a.model} · {a.who_or_where} · {base_url}/assets/{a.tag}"
                for a in assets[:LISTED]
            ]
            if len(assets) > LISTED:
                lines.append(f"  … och {len(assets) - LISTED} till")
            lines.append("")
        message = EmailMessage()
        message["Subject"] = (
            f"Inventarieregistret: veckosammanfattning {today.isoformat()} ({whose})"
        )
        message["From"] = sender
        message["To"] = ", ".join(digest.recipients)
        message.set_content("\n".join(lines))
        messages.append(message)
    return messages
