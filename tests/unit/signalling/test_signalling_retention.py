"""The documents' retention period (services/signalling/retention.py), without sockets: which
ended hearings are due, the decision the system's `Sweep` records (once), and what the detail,
the roster and the ended notice say."""

from __future__ import annotations

import msgspec
import pytest
from sighelp import SYSTEM, audits, deliveries, world

from parley.config import load_config
from parley.errors import ConfigError
from proto.common import Role
from proto.signalling import CloseHearing
from proto.ws import Notice, NoticeKind
from services.signalling import retention
from services.signalling.config import SignallingConfig
from services.signalling.core import Sweep, next_due
from services.signalling.effects import Audit, Policy
from services.signalling.roster import derive
from services.signalling.view import detail

DAY = retention.DAY_MS
NINETY = Policy(document_retention_ms=90 * DAY)


def _ended(policy: Policy, *, destroy: bool = False):  # type: ignore[no-untyped-def]
    w = world(policy)
    w.do("med", CloseHearing(destroy_documents=destroy))
    return w


def test_only_ended_kept_hearings_past_the_period_are_due() -> None:
    kept, destroyed, running = _ended(NINETY), _ended(NINETY, destroy=True), world(NINETY)
    ended_at = kept.h.ended_at
    assert ended_at is not None
    legacy = msgspec.structs.replace(_ended(NINETY).h, id="legacy", ended_at=None)
    hearings = [kept.h, destroyed.h, running.h, legacy]
    assert retention.due(hearings, ended_at + 90 * DAY - 1, NINETY) == []
    assert retention.due(hearings, ended_at + 90 * DAY, NINETY) == [kept.h.id]
    # No period set: nothing is ever due, however old.
    assert retention.due(hearings, ended_at + 10_000 * DAY, Policy()) == []
    assert retention.kept_until(kept.h, NINETY) == ended_at + 90 * DAY
    assert retention.kept_until(destroyed.h, NINETY) is None
    assert retention.kept_until(running.h, NINETY) is None
    assert retention.kept_until(legacy, NINETY) is None  # no end recorded: kept until by hand
    # The sweeper's plan visits the ended hearing exactly when it falls due.
    assert next_due(kept.h, kept.env) == ended_at + 90 * DAY
    assert next_due(destroyed.h, destroyed.env) is None


def test_the_systems_sweep_records_the_destruction_once() -> None:
    w = _ended(NINETY)
    assert w.h.ended_at is not None
    w.now = w.h.ended_at + 90 * DAY - 1
    assert w.do(SYSTEM, Sweep()) == [] and not w.h.documents_destroyed
    w.now += 1
    effects = w.do(SYSTEM, Sweep())
    assert audits(effects) == ["hearing.retention_expired"]
    event = next(e for e in effects if isinstance(e, Audit))
    assert event.details == {"ended_at": w.h.ended_at, "retention_days": 90}
    assert (w.h.documents_destroyed, w.h.documents_destroyed_at) == (True, w.now)
    # Told to evidence (the roster) and to the mediator (the detail): destroyed, and when.
    assert derive(w.h, 7).documents_destroyed is True
    shown = detail(w.h, w.now, NINETY)
    assert (shown.documents_destroyed, shown.documents_destroyed_at,
            shown.documents_kept_until) == (True, w.now, None)
    # A second pass (another signalling process, a restart) decides nothing again.
    w.now += DAY
    assert w.do(SYSTEM, Sweep()) == []


def test_detail_and_ended_notice_say_when_kept_documents_go() -> None:
    w = world(NINETY)
    p = w.join("p", Role.PARTY, w.side("A"))
    assert detail(w.h, w.now, NINETY).document_retention_days == 90
    assert detail(w.h, w.now, NINETY).documents_kept_until is None  # not ended yet
    effects = w.do("med", CloseHearing())
    ended = [d.message for d in deliveries(effects, p) if isinstance(d.message, Notice)]
    assert [(n.kind, n.documents_destroyed, n.documents_kept_until) for n in ended] == [
        (NoticeKind.ENDED, False, w.now + 90 * DAY)]
    assert detail(w.h, w.now, NINETY).documents_kept_until == w.now + 90 * DAY
    # Without a period: kept until the mediator destroys them, and no date anywhere.
    assert detail(w.h, w.now, Policy()).documents_kept_until is None
    assert detail(w.h, w.now, Policy()).document_retention_days == 0


def test_destroyed_at_the_end_the_notice_says_so_and_no_date() -> None:
    w = world(NINETY)
    p = w.join("p", Role.PARTY, w.side("A"))
    effects = w.do("med", CloseHearing(destroy_documents=True))
    ended = [d.message for d in deliveries(effects, p) if isinstance(d.message, Notice)]
    assert [(n.documents_destroyed, n.documents_kept_until) for n in ended] == [(True, None)]
    assert w.h.documents_destroyed_at == w.now == w.h.ended_at


def test_the_setting_takes_days_and_fractions_and_refuses_nonsense() -> None:
    config = load_config(SignallingConfig, {"PARLEY_DOCUMENT_RETENTION_DAYS": "90"})
    assert config.policy().document_retention_ms == 90 * DAY
    assert load_config(SignallingConfig, {}).policy().document_retention_ms == 0
    tiny = load_config(SignallingConfig, {"PARLEY_DOCUMENT_RETENTION_DAYS": "0.00002"})
    assert tiny.policy().document_retention_ms == round(0.00002 * DAY)
    for bad in ("-1", "40000"):
        with pytest.raises(ConfigError, match="PARLEY_DOCUMENT_RETENTION_DAYS"):
            load_config(SignallingConfig, {"PARLEY_DOCUMENT_RETENTION_DAYS": bad})
