"""One word for one thing in the Chinese catalogues: plenary is 全體會議 (全体会议), never
全體會議室 or 聯席會議; a caucus is 單方會談 (单方会谈), never 私下會談 or 私人房間; and the
reader is addressed as 您 throughout, never 你 (a screen once said 您身處… next to 誰能聽到你);
the microphone is 麥克風 (麦克风) as on every screen, never 咪高峰 (an invitation letter once
said it). In English, plenary is "plenary", never "joint session"; and one signs in with a
"username", never a "user name" on one screen and a "Username" on the next. The room people
wait in before they are admitted is the waiting room everywhere (等候室), never the "Lobby" on
the mediator's board and the "Waiting room" on the party's page; counsel is 代表律師 (代理律师)
on every screen, the auditor's too, never a bare 律師 (律师) on one of them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.webclient.routes import WEBCLIENT

AREAS = ("common", "staff", "mediator", "participant", "audit", "admin")

#: language → (the word to use, the forms it replaces)
WORDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "zh-Hant": (("全體會議", ("全體會議室", "聯席會議", "全体会议")), ("您", ("你",)),
                ("單方會談", ("私下會談", "私人房間", "单方会谈")), ("麥克風", ("咪高峰", "麦克风")),
                ("等候室", ("大堂", "等候區", "等待室", "候見室")), ("代表律師", ("代理律師", "代理律师"))),
    "zh-Hans": (("全体会议", ("全体会议室", "联席会议", "全體會議")), ("您", ("你",)),
                ("单方会谈", ("私下会谈", "私人房间", "單方會談")), ("麦克风", ("话筒", "麥克風")),
                ("等候室", ("大堂", "等候区", "等待室", "候见室")), ("代理律师", ("代表律师", "代表律師"))),
    # English: the room everyone meets in is "plenary" (a banner once said "Joint session" above
    # "Plenary"); "Joint" alone is the documents compartment, a different thing.
    "en": (("plenary", ("joint session", "Joint session", "Joint Session")),
           ("username", ("user name", "User name", "User Name")),
           # The room before admission: the mediator's board once said "Lobby" where the
           # party's page said "Waiting room" (the code's `lobby` is not a word people read).
           ("waiting room", ("lobby", "Lobby", "waiting area", "Waiting area")),
           ("counsel", ("lawyer", "Lawyer", "attorney", "Attorney"))),
}

#: Counsel, whole: a bare 律師 (律师) once named counsel on the auditor's pages only.
COUNSEL = {"zh-Hant": ("代表律師", "律師"), "zh-Hans": ("代理律师", "律师")}


def texts(message: Any) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


@pytest.mark.parametrize("lang", sorted(WORDS))
@pytest.mark.parametrize("area", AREAS)
def test_one_word_for_plenary_caucus_and_you(lang: str, area: str) -> None:
    catalogue = json.loads((WEBCLIENT / "i18n" / lang / f"{area}.json").read_text())
    wrong = []
    for key, message in catalogue.items():
        for text in texts(message):
            for word, others in WORDS[lang]:
                wrong += [f"{key}: {other!r} (say {word!r}): {text}" for other in others if other in text]
    assert wrong == []


@pytest.mark.parametrize("lang", sorted(COUNSEL))
@pytest.mark.parametrize("area", AREAS)
def test_counsel_is_one_word(lang: str, area: str) -> None:
    word, bare = COUNSEL[lang]
    catalogue = json.loads((WEBCLIENT / "i18n" / lang / f"{area}.json").read_text())
    wrong = [f"{key}: {text}" for key, message in catalogue.items() for text in texts(message)
             if text.count(bare) != text.count(word)]
    assert wrong == [], f"say {word!r}"


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_a_shared_versions_number_is_not_read_as_an_old_version(lang: str) -> None:
    """所有人看到的是第 1 版 ("everyone sees version 1") reads as if everyone were shown an old
    version; the sentence says they will see this version, numbered 1 for them."""
    catalogue = json.loads((WEBCLIENT / "i18n" / lang / "participant.json").read_text())
    shared = {key: text for key, message in catalogue.items() for text in texts(message)
              if "{shared}" in text}
    assert shared
    assert [key for key, text in shared.items() if "看到的是第" in text] == []
    assert all(("此版本" in text) for text in shared.values()), shared


#: A release of a document is sharing it, as the participant's own screens say (與調解員分享,
#: 与调解员共享): never 公開/公开, "made public", which a share with the mediator in confidence
#: is the opposite of (an auditor's screen once said 公開了「和解建議書」… to the mediator in confidence).
SHARE: dict[str, tuple[str, str]] = {"zh-Hant": ("分享", "公開"), "zh-Hans": ("共享", "公开")}


@pytest.mark.parametrize("lang", sorted(SHARE))
@pytest.mark.parametrize("area", AREAS)
def test_a_release_is_a_share_never_made_public(lang: str, area: str) -> None:
    word, wrong_word = SHARE[lang]
    catalogue = json.loads((WEBCLIENT / "i18n" / lang / f"{area}.json").read_text())
    wrong = [f"{key}: {text}" for key, message in catalogue.items() for text in texts(message) if wrong_word in text]
    assert wrong == [], f"say {word!r}, not {wrong_word!r}"
    # and the auditor's words for a release (its sentences, its action, its route, where it
    # was kept after one) say it with the participants' verb
    unsaid = [f"{key}: {text}" for key, message in catalogue.items() if key.startswith("audit.") and "release" in key
              for text in texts(message) if word not in text]
    assert unsaid == [], f"say {word!r}"
