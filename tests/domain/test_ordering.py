"""Names in the order Swedes read them: å, ä, ö after z, numbers by value."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.ordering import in_swedish_order, swedish_key


def test_swedish_letters_come_after_z_and_numbers_sort_by_value() -> None:
    names = ["Öskolan", "Klassrum 10", "Ängen", "Åby", "Klassrum 2", "zoo", "Élise", "Eva",
             "Hus Å", "Hus B", "A12", "A2", "klassrum 3"]  # fmt: skip
    assert sorted(names, key=swedish_key) == [
        "A2", "A12", "Élise", "Eva", "Hus B", "Hus Å", "Klassrum 2", "klassrum 3",
        "Klassrum 10", "zoo", "Åby", "Ängen", "Öskolan",
    ]  # fmt: skip


def test_pairs_are_ordered_by_their_name() -> None:
    assert in_swedish_order([(3, "Rum 10"), (1, "Rum 9"), (2, "Åkerbo")]) == [
        (1, "Rum 9"), (3, "Rum 10"), (2, "Åkerbo"),
    ]  # fmt: skip


@given(st.lists(st.text(alphabet="aAbåäöÖ0129 -", max_size=8), max_size=12))
def test_no_two_different_names_tie(names: list[str]) -> None:
    """The order is total: whatever order names arrive in, they come out the same."""
    distinct = set(names)
    assert len({swedish_key(n) for n in distinct}) == len(distinct)
