from .audit import AuditChainHead, AuditEntry
from .notifications import Notification
from .privacy import DeletionRequest
from .units import AdministrativeUnit, UnitSuccession
from .users import User

__all__ = [
    "AdministrativeUnit",
    "AuditChainHead",
    "AuditEntry",
    "DeletionRequest",
    "Notification",
    "UnitSuccession",
    "User",
]
