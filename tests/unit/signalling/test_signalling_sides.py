"""A hearing's sides are told apart by name and by colour on every screen, so two alike are
refused: a confidence shared with the wrong one of two "Claimant" sides is the mix-up a mediator
cannot undo."""

from __future__ import annotations

import pytest
from sighelp import world

from proto.signalling import AddSide
from services.signalling.errors import Conflict


def test_a_second_side_of_the_same_name_is_refused_whatever_its_case_and_spaces() -> None:
    w = world()
    w.side("Claimant (Chan)")
    with pytest.raises(Conflict) as refused:
        w.do("med", AddSide(name="  claimant   (CHAN) "))
    assert refused.value.reason == "side_name_taken"
    assert len(w.h.sides) == 1


def test_a_colour_another_side_has_is_refused_and_a_free_one_is_given_by_default() -> None:
    w = world()
    w.do("med", AddSide(name="Claimant", colour="b"))
    with pytest.raises(Conflict) as refused:
        w.do("med", AddSide(name="Respondent", colour="b"))
    assert refused.value.reason == "side_colour_taken"
    w.do("med", AddSide(name="Respondent"))
    assert sorted(s.colour for s in w.h.sides.values()) == ["a", "b"]
