"""Evidence files of the reuse routine as use cases: attach a file to an asset's latest
assessment afterwards (the recycler's certificate often comes weeks later), list an asset's
files, and read one back for whoever may see the asset. Files saved with an assessment are
written by services/reuse.assess, in its transaction.

Every file is written with a history event that names it, through the one write point
(assets.record_change): an asset whose history names no file has none, and its page asks
the database nothing about files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain import attachments as rules
from ..domain.assets import lookup_tag
from ..domain.errors import NotFound, ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Assessment, Asset, Attachment, User
from . import owners, scope, tag_aliases
from .access import check_scope, require_role
from .assets import HistoryEntry, get_asset, record_change

# The history event of a file attached afterwards; one saved with an assessment is named in
# the assessment's own event.
ATTACH_ACTION = "attachment"

# Another owner's file, a file of another asset than the one in its address and a file that
# does not exist are answered alike: their existence is not revealed.
FILE_NOT_FOUND = N_("There is no such file, or you do not have access to it.")


@dataclass(frozen=True)
class AttachmentInfo:
    """A file as lists show it: everything but its bytes."""

    id: int
    tag: str
    kind: rules.Kind
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str
    assessment_id: int | None

    @property
    def archive_path(self) -> str:
        """Where the handover's ZIP holds it: a folder per asset, the id keeping two files
        of one name apart."""
        return f"{self.tag}/{self.id}-{self.filename}"


_INFO_COLUMNS = (
    Attachment.id,
    Asset.tag,
    Attachment.kind,
    Attachment.filename,
    Attachment.content_type,
    Attachment.size_bytes,
    Attachment.sha256,
    Attachment.uploaded_at,
    User.email,
    Attachment.assessment_id,
)


def _infos(where: Any) -> Any:
    return (
        select(*_INFO_COLUMNS)  # type: ignore[call-overload]
        .join(Asset, col(Asset.id) == Attachment.asset_id)
        .join(User, col(User.id) == Attachment.uploaded_by)
        .where(where)
        .order_by(col(Attachment.uploaded_at), col(Attachment.id))
    )


def _info(row: Any) -> AttachmentInfo:
    values = list(row)
    values[2] = rules.Kind(values[2])
    return AttachmentInfo(*values)


def new_attachment(
    *, asset: Asset, kind: rules.Kind, checked: rules.CheckedFile, actor: User, now: dt.datetime
) -> Attachment:
    assert asset.id is not None and actor.id is not None
    return Attachment(
        asset_id=asset.id,
        kind=kind.value,
        filename=checked.filename,
        content_type=checked.content_type,
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
        content=checked.content,
        uploaded_by=actor.id,
        uploaded_at=now,
    )


def history_changes(files: Sequence[tuple[rules.Kind, rules.CheckedFile]]) -> dict[str, list[Any]]:
    """What the history records of files attached: {kind: [None, file name]}, written in
    words as "Wipe report attached: report.pdf" (domain/history.py)."""
    return {kind.value: [None, checked.filename] for kind, checked in files}


def attach(
    session: Session,
    *,
    actor: User,
    tag: str,
    files: Sequence[tuple[rules.Kind, rules.Upload]],
    max_bytes: int,
    today: dt.date,
    now: dt.datetime,
) -> Attachment:
    """Attach one file (`files`: the one sent, under its kind) to the asset's latest
    assessment, with a history event, or raise with a clear message and write nothing."""
    require_role(actor, Role.TECHNICIAN)
    asset = get_asset(session, actor=actor, tag=tag)  # another owner's: 404, before all else
    if len(files) != 1:
        raise ValidationFailed({"file": N_("Choose one file to attach.")})
    kind, upload = files[0]
    if owners.has_handed_over(session, asset.owner_id):
        raise ValidationFailed(
            {
                kind.value: N_(
                    "This owner's register has been handed over: nothing more is added to it."
                )
            }
        )
    latest = _latest_assessment(session, asset)
    facts = None
    if latest is not None:
        attached = session.exec(
            select(Attachment.kind).where(Attachment.assessment_id == latest.id)
        ).all()
        facts = rules.LatestAssessment(
            wiped=latest.wiped,
            decision=latest.decision,
            attached=frozenset(rules.Kind(k) for k in attached),
        )
    problem = rules.misfit_later(kind, latest=facts, disposal_kind=asset.disposal_kind)
    if problem is not None:
        raise ValidationFailed({kind.value: problem})
    checked = rules.check_file(upload, max_bytes=max_bytes, field=kind.value)
    attachment = new_attachment(asset=asset, kind=kind, checked=checked, actor=actor, now=now)
    attachment.assessment_id = latest.id if latest is not None else None
    try:
        record_change(
            session, asset=asset, actor=actor, now=now, today=today, action=ATTACH_ACTION,
            changes=history_changes([(kind, checked)]), also=(attachment,),
        )  # fmt: skip
    except IntegrityError:
        # The same kind attached by someone else a moment ago (uq_attachment_assessment_kind).
        raise ValidationFailed({kind.value: rules.already_attached(kind)}) from None
    return attachment


def _latest_assessment(session: Session, asset: Asset) -> Assessment | None:
    return session.exec(
        select(Assessment)
        .where(Assessment.asset_id == asset.id)
        .order_by(col(Assessment.assessed_at).desc(), col(Assessment.id).desc())
    ).first()


def names_a_file(history: Sequence[HistoryEntry]) -> bool:
    """Whether an asset's history (already read, in the asset page's one query) shows a file
    attached. Every file is written with an event naming it, so a history naming none means
    the asset has none."""
    return any(kind.value in entry.changes for entry in history for kind in rules.Kind)


def listed(
    session: Session, *, actor: User, asset: Asset, history: Sequence[HistoryEntry]
) -> list[AttachmentInfo]:
    """The asset's files, oldest first; no query at all for an asset whose history names
    none (nearly all of them)."""
    require_role(actor, Role.VIEWER)
    check_scope(actor, asset)
    if asset.id is None or not names_a_file(history):
        return []
    return [_info(row) for row in session.exec(_infos(col(Attachment.asset_id) == asset.id))]


def offered(asset: Asset, history: Sequence[HistoryEntry]) -> list[rules.Kind]:
    """The kinds the asset page offers to attach afterwards to its latest assessment, from
    its history (the service checks again against the database when one is sent)."""
    latest = rules.latest_from_history([(e.action, e.changes) for e in history])
    return rules.offered_later(latest, disposal_kind=asset.disposal_kind)


def of_assessment(session: Session, assessment_id: int) -> list[AttachmentInfo]:
    """The files of an assessment the caller has already read within the actor's scope."""
    return [
        _info(row) for row in session.exec(_infos(col(Attachment.assessment_id) == assessment_id))
    ]


def has_files_clause() -> Any:
    """Whether the joined assessment has files, as a column of the API lookup's one query:
    one probe of an index, so that the many assessments without files cost no second query."""
    return exists().where(col(Attachment.assessment_id) == Assessment.id)


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    content: bytes


def read_file(session: Session, *, actor: User, tag: str, file_id: int) -> StoredFile:
    """A file's bytes, for whoever may see its asset, addressed by the asset's tag (or an
    earlier one) and the file's id."""
    require_role(actor, Role.VIEWER)
    row = session.exec(
        select(  # type: ignore[call-overload]
            Attachment.filename, Attachment.content_type, Attachment.content, Asset.tag,
            Asset.owner_id,
        )
        .join(Asset, col(Asset.id) == Attachment.asset_id)
        .where(col(Attachment.id) == file_id)
    ).first()  # fmt: skip
    wanted = lookup_tag(tag)
    if row is None or wanted is None or not scope.owns(actor, row[4]):
        raise NotFound(FILE_NOT_FOUND)
    if wanted != row[3] and tag_aliases.tag_for_alias(session, wanted) != row[3]:
        raise NotFound(FILE_NOT_FOUND)
    return StoredFile(filename=row[0], content_type=row[1], content=row[2])


# --- the handover of a departing owner's register -------------------------------------------


def of_owner(session: Session, *, owner_id: int | None) -> list[AttachmentInfo]:
    """Every file of the owner's assets, oldest first (the handover service checks that the
    actor is an admin for all owners)."""
    return [_info(row) for row in session.exec(_infos(col(Asset.owner_id) == owner_id))]


def count_of_owner(session: Session, *, owner_id: int | None) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Attachment)
            .join(Asset, col(Asset.id) == Attachment.asset_id)
            .where(col(Asset.owner_id) == owner_id)
        ).one()
    )


def contents_of_owner(session: Session, *, owner_id: int | None) -> Iterator[tuple[int, bytes]]:
    """(id, bytes) of every file of the owner's assets, in the order of `of_owner`, a few
    at a time: a register's evidence can be larger than the memory a worker has to spare."""
    result = (
        session.connection()
        .execution_options(stream_results=True, yield_per=4)
        .execute(
            select(Attachment.id, Attachment.content)
            .join(Asset, col(Asset.id) == Attachment.asset_id)
            .where(col(Asset.owner_id) == owner_id)
            .order_by(col(Attachment.uploaded_at), col(Attachment.id))
        )
    )
    for file_id, content in result:
        yield int(file_id), bytes(content)
