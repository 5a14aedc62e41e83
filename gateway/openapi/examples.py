"""What the API documents say about parameters and bodies beyond their types: words and examples.

Every path parameter is described here by name; every request body has an example here, which
tests/unit/proto/test_proto_schema_drift.py decodes with the body's own type (an example that no
longer fits its contract fails the build).
"""

from __future__ import annotations

from typing import Any, Final

#: Identifiers in examples (ULIDs, as the services mint them).
HEARING: Final = "01JDA8Q3V6ZC4B1N9XK2M7R5TE"
SIDE: Final = "01JDA8QB2D5W8TQ0H7J3C9V1NA"
ACCOUNT: Final = "01JDA8PZ4K2B7M1X9C3V5N8Q6R"

#: Path parameters: (description, example).
PATH: Final[dict[str, tuple[str, str]]] = {
    "hearing": ("the hearing's id (from POST /api/v1/hearings or GET /api/v1/hearings)", HEARING),
    "document": ("the document's id (from the hearing's document list)",
                 "d_5kq2m8x1c7v3b9n4z6w0"),
    "participant": ("the participant's id (from the invitation or the hearing's detail)",
                    "01JDA8QK7F3N1C8Y5T2M9W4B6H"),
    "side": ("the side's id (from adding it, or the hearing's detail)", SIDE),
    "account": ("the staff account's id (from GET /api/v1/accounts)", ACCOUNT),
    "token": ("the API token's id (from GET /api/v1/tokens; never the secret)",
              "01JDA8R1S4G9V2K6D8B3X7M5PC"),
    "index": ("a log entry's index (0-based position in the audit log)", "42"),
    "upload": ("the resumable upload's id (the Location of its creation)",
               "OHYewr743qmvUGpyYoMLiA"),
    "view": ("the rest of a web client page's path (the client's router reads it)", "entry/42"),
    "file": ("a web client file under js/, css/ or i18n/", "js/app.js"),
    **{f"s{n}": (f"path segment {n + 1} of a C2SP tlog-tiles path (e.g. 0/x001/234.p/5)", "0")
       for n in range(9)},
}

#: Query parameters of the audit routes: (description, example).
QUERY: Final[dict[str, tuple[str, str]]] = {
    "hearing": ("only events of this hearing (its id)", "01JDA8Q3V6ZC4B1N9XK2M7R5TE"),
    "actor": ("only events by this actor (an account, participant or token id)",
              "01JDA8PZ4K2B7M1X9C3V5N8Q6R"),
    "action": ("only this action; ending in '.', every action with that prefix", "document."),
    "resource_type": ("only events on resources of this type", "document"),
    "resource_id": ("only events on the resource with this id (with resource_type)", "d_5kq2m8x1"),
    "time_from": ("events at or after this time (Unix ms, or ISO 8601 with an offset)",
                  "1764028800000"),
    "time_to": ("events before this time (exclusive; Unix ms, or ISO 8601 with an offset)",
                "1764115200000"),
    "person": ("events by or about a person named so in the log (part of the name, any case),"
               " and every use of the invitations issued to them (redemptions, refused ones"
               " included, name the invitation, not the person)", "Ana Chen"),
    "with_invitations": ("true: with actor (a person's id; no person), what they did and every use"
                         " of the invitations issued to them (redemptions, refused ones included,"
                         " name the invitation, not the person), each entry once", "true"),
    "outcome": ("only this outcome: allowed, denied or failed", "denied"),
    "order": ("asc (oldest first, the default) or desc (newest first)", "desc"),
    "name": ("part of a name, any case", "expert report"),
    "kind": ("person, side, hearing, room or document", "document"),
    "id": ("only the thing with this id (e.g. an account's current name)",
           "01JDA8PZ4K2B7M1X9C3V5N8Q6R"),
    "cursor": ("the next_cursor of the previous page", "1234"),
    "limit": ("at most this many events (1 to 1000; default 100)", "100"),
    "index": ("a log entry's index", "42"),
    "size": ("the tree size to prove against (default: the latest checkpoint's)", "1000"),
    "from": ("the older tree size", "500"),
    "to": ("the newer tree size (default: the latest checkpoint's)", "1000"),
}


#: One example body per request type, by type name.
BODIES: Final[dict[str, dict[str, Any]]] = {
    "AccountCreateRequest": {"username": "maria.mediator", "role": "mediator",
                             "password": "correct horse battery staple",
                             "display_name": "Ms Maria Chan"},
    "AccountPatchRequest": {"disabled": True},
    "ProfilePatchRequest": {"display_name": "Ms Maria Chan"},
    "PasswordChangeRequest": {"current": "k7pm-q2xr-9dwe-hv4t",
                              "new": "correct horse battery staple"},
    "PasswordResetRequest": {},
    "ExportRequest": {"begin": 0, "end": 100},
    "BootstrapRequest": {"secret": "pbs_Zq3X9v7kLm2Pz8Rw4Tn6Yc1Hd5Gf0Ja8Ue4Io2Bs6Dx", "username": "admin",
                         "password": "correct horse battery staple"},
    "SignInRequest": {"username": "maria.mediator", "password": "correct horse battery staple",
                      "totp": "123456"},
    "TotpConfirmRequest": {"code": "123456"},
    "TotpEnrollRequest": {},
    "CreateHearing": {"title": "Smith v. Jones, lease dispute"},
    "ChangeHearing": {"scheduled_at": 1893981600000, "time_zone": "Asia/Hong_Kong"},
    "CloseHearing": {"destroy_documents": False},
    "HandOverHearing": {"account": "01JDA8R2K4M6P8Q0S2U4W6Y8Z0"},
    "ReleaseBody": {"to": "joint"},
    "OpenHearing": {},
    "InviteParticipant": {"name": "Ann Smith", "role": "party", "side": SIDE,
                          "expires_in_s": 604800},
    "ReissueInvitation": {"expires_in_s": 604800},
    "AddSide": {"name": "Claimant"},
    "RenameSide": {"name": "Chan Holdings Ltd (claimant)", "colour": "c"},
    "RedeemInvitation": {"token": f"{HEARING}.01JDA8QK7F3N1C8Y5T2M9W4B6H.kP2v9Xq7Lm4Rt8Wz",
                         "access_code": "483920"},
    "TechCheckOffer": {"sdp": "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"},
    "TokenCreateRequest": {"name": "nightly export", "expires_in_s": 2592000},
}
