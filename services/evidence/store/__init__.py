"""Object stores for evidence: one async interface (`base.ObjectStore`), two backends."""

from services.evidence.store.base import ObjectInfo, ObjectStore, validate_key

__all__ = ["ObjectInfo", "ObjectStore", "validate_key"]
