"""coturn shared-secret credentials: a known answer computed independently with hmac."""

from __future__ import annotations

import base64
import hashlib
import hmac

import msgspec
import pytest

from services.signalling.ice import IceSettings, ice_config, ice_policy, turn_credential


def test_known_answer() -> None:
    # base64(HMAC-SHA1(b"north", b"1700003600:p1")), also computed with
    # `printf 1700003600:p1 | openssl dgst -sha1 -hmac north -binary | base64`
    expected = base64.b64encode(
        hmac.new(b"north", b"1700003600:p1", hashlib.sha1).digest()).decode()
    assert turn_credential("north", "1700003600:p1") == expected
    assert expected == "4EEMVinF9VQKZF50YH25G6+f6lw="


def test_config_per_participant_with_ttl() -> None:
    s = IceSettings(stun_urls=("stun:127.0.0.1:3478",), turn_urls=("turn:127.0.0.1:3478",),
                    turn_secret="north", ttl_s=600)
    cfg = ice_config(s, "p1", 1_700_000_000)
    stun, turn = cfg.ice_servers
    assert stun.username is None and turn.username == "1700000600:p1"
    assert turn.credential == turn_credential("north", "1700000600:p1")
    assert cfg.ice_transport_policy == "all" and cfg.expires_at == 1_700_000_600_000
    wire = msgspec.json.decode(msgspec.json.encode(cfg))
    assert wire["iceTransportPolicy"] == "all" and "iceServers" in wire
    other = ice_config(s, "p2", 1_700_000_000).ice_servers[1]
    assert other.credential != turn.credential


def test_relay_only() -> None:
    s = IceSettings(stun_urls=("stun:x",), turn_urls=("turn:x",), turn_secret="k",
                    relay_only=True)
    cfg = ice_config(s, "p1", 0)
    assert cfg.ice_transport_policy == "relay"
    assert [srv.urls for srv in cfg.ice_servers] == [["turn:x"]]


@pytest.mark.parametrize("kwargs", [
    {"turn_urls": ("turn:x",)}, {"ttl_s": 5}, {"relay_only": True},
])
def test_bad_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        IceSettings(**kwargs)  # type: ignore[arg-type]


def test_policy_shows_the_configuration_but_never_the_secret() -> None:
    s = IceSettings(stun_urls=("stun:x",), turn_urls=("turns:turn.example:5349",),
                    turn_secret="north-secret", ttl_s=900, relay_only=True)
    policy = ice_policy(s)
    assert policy.relay_only and policy.turn_urls == ["turns:turn.example:5349"]
    assert policy.stun_urls == ["stun:x"] and policy.turn_credential_ttl_s == 900
    assert b"north-secret" not in msgspec.json.encode(policy)
