"""One word for one thing in the Chinese catalogues: plenary is 全體會議 (全体会议), never
全體會議室 or 聯席會議; a caucus is 單方會談 (单方会谈), never 私下會談 or 私人房間; and the
reader is addressed as 您 throughout, never 你 (a screen once said 您身處… next to 誰能聽到你).
In English, plenary is "plenary", never "joint session"."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.webclient.routes import WEBCLIENT

AREAS = ("common", "staff", "mediator", "participant", "audit", "admin")

#: language → (the word to use, the forms it replaces)
WORDS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "zh-Hant": (("全體會議", ("全體會議室", "聯席會議", "全体会议")), ("您", ("你",)),
                ("單方會談", ("私下會談", "私人房間", "单方会谈"))),
    "zh-Hans": (("全体会议", ("全体会议室", "联席会议", "全體會議")), ("您", ("你",)),
                ("单方会谈", ("私下会谈", "私人房间", "單方會談"))),
    # English: the room everyone meets in is "plenary" (a banner once said "Joint session" above
    # "Plenary"); "Joint" alone is the documents compartment, a different thing.
    "en": (("plenary", ("joint session", "Joint session", "Joint Session")),),
}


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
