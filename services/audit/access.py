"""Who may read the audit log: auditors, and nobody else (DESIGN §2, §7). Pure.

The gateway already refuses everyone but auditors on the audit routes; the audit service decides
again from the forwarded principal (defence in depth), so an admin sees nothing of the log unless
the admin is also an auditor, whatever calls the service.
"""

from __future__ import annotations

from proto.common import Role
from proto.errors import ErrorCode
from proto.principal import Principal, PrincipalKind


def refusal(principal: Principal | None) -> tuple[ErrorCode, str] | None:
    """None if `principal` may read the log, else the error code and reason."""
    if principal is None:
        return ErrorCode.UNAUTHENTICATED, "sign-in required"
    if principal.kind is not PrincipalKind.ACCOUNT or principal.role is not Role.AUDITOR:
        return ErrorCode.FORBIDDEN, "the audit log is for auditors only"
    return None
