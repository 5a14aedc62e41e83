import pytest

from gateway.identity import errors as e
from proto.errors import HTTP_STATUS


@pytest.mark.parametrize(
    ("error", "status"),
    [(e.InvalidInput(), 400), (e.AuthenticationFailed(), 401), (e.SessionExpired(), 401),
     (e.CodeReplayed(), 401), (e.Forbidden(), 403), (e.CsrfFailed(), 403), (e.NotFound(), 404),
     (e.Conflict(), 409), (e.RateLimited(retry_after_s=3), 429), (e.LockedOut(), 429),
     (e.SecretBoxError("key file x is bad"), 500)],
)
def test_errors_map_to_statuses(error: e.IdentityError, status: int) -> None:
    wire = error.to_error()
    assert HTTP_STATUS[wire.code] == status
    assert wire.message == error.message


def test_replayed_code_looks_like_any_bad_credential() -> None:
    assert e.CodeReplayed().to_error() == e.AuthenticationFailed().to_error()


def test_retry_after_carried() -> None:
    assert e.RateLimited(retry_after_s=7).to_error().retry_after_s == 7
