"""What the §20 split's page, XLSX and PDF share, so that the three say the same: the
proposal's content as read from the service, why an item went to its side, the
compensation sentence, and signed amounts as Swedes write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.money import format_sek
from ..domain.partnership import Basis
from ..domain.text import N_
from ..services.partnership import LineRow, Move, Party, Summary


@dataclass(frozen=True)
class SplitDocument:
    """Everything an export of one proposal shows."""

    summary: Summary
    lines: list[LineRow]  # every item, in tag order
    models: dict[int, str]  # asset id -> model
    parties: dict[int, Party]  # owner id -> name and organisation number
    moves: list[Move]  # the adjustments, oldest first
    generated_at: dt.datetime

    def side_lines(self, owner_id: int) -> list[LineRow]:
        return [line for line in self.lines if line.to_owner_id == owner_id]


BASIS_LABELS = {
    Basis.SITE: N_("By site"),
    Basis.BALANCE: N_("Balancing"),
    Basis.ADJUSTED: N_("Adjusted"),
}
PAYS = N_("%(payer)s pays %(payee)s %(amount)s.")
EVEN = N_("The sides are even: no compensation is paid.")
DRAFT = N_("Proposal")
DECIDED = N_("Decided")


def basis_label(basis: str, translate: Callable[[str], str]) -> str:
    try:
        return translate(BASIS_LABELS[Basis(basis)])
    except ValueError:
        return basis


def signed_sek(ore: int, *, minus: str = "\u2212") -> str:
    """'+1 234,50 kr', '−1 234,50 kr' (a minus sign; the PDF's fonts have only the hyphen),
    '0,00 kr'."""
    if ore == 0:
        return format_sek(0)
    return ("+" if ore > 0 else minus) + format_sek(abs(ore))


def compensation_sentence(summary: Summary, translate: Callable[[str], str]) -> str:
    """'Mörbylånga kommun pays Borgholms kommun 1 234,56 kr.' in the reader's language; with
    more than two sides, one sentence per payment."""
    if not summary.transfers:
        return translate(EVEN)
    return " ".join(
        translate(PAYS) % {"payer": t.from_name, "payee": t.to_name, "amount": format_sek(t.ore)}
        for t in summary.transfers
    )
