import pytest

from gateway.identity import errors as e
from parley.errors import DomainError
from proto.errors import HTTP_STATUS


@pytest.mark.parametrize(
    ("error", "status"),
    [(e.InvalidInput(), 400), (e.AuthenticationFailed(), 401), (e.SessionExpired(), 401),
     (e.CodeReplayed(), 401), (e.Forbidden(), 403), (e.CsrfFailed(), 403), (e.NotFound(), 404),
     (e.Conflict(), 409), (e.RateLimited(retry_after_s=3), 429), (e.LockedOut(), 429),
     (e.SecretBoxError("key file x is bad"), 500)],
)
def test_errors_map_to_statuses(error: e.IdentityError, status: int) -> None:
    wire = error.envelope()
    assert HTTP_STATUS[wire.code] == status
    # What a client reads: the message, except an internal error's, which stays in the log.
    assert wire.message == (error.message if status < 500 else type(error).__name__)
    assert isinstance(error, DomainError)


def test_a_reused_code_says_so() -> None:
    assert e.CodeReplayed().envelope().message == "this authentication code was already used: wait for the next one"


def test_retry_after_carried() -> None:
    assert e.RateLimited(retry_after_s=7).envelope().retry_after_s == 7
