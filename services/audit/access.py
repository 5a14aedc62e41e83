"""Who may read the audit log: auditors, and nobody else (DESIGN §2, §7). Pure.

The gateway already refuses everyone but auditors on the audit routes; the audit service decides
again from the forwarded principal (defence in depth), so an admin sees nothing of the log unless
the admin is also an auditor, whatever calls the service.
"""

from __future__ import annotations

from proto.common import Role
from proto.principal import Principal, PrincipalKind
from services.audit.errors import NotAnAuditorError, NotSignedInError


def require_auditor(principal: Principal | None) -> Principal:
    """`principal` if it may read the log; else raises why not (signed out, or not an auditor)."""
    if principal is None:
        raise NotSignedInError("sign-in required")
    if principal.kind is not PrincipalKind.ACCOUNT or principal.role is not Role.AUDITOR:
        raise NotAnAuditorError("the audit log is for auditors only")
    return principal
