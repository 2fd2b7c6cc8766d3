from .audit import AuditChainHead, AuditEntry
from .units import AdministrativeUnit
from .users import User

__all__ = ["AdministrativeUnit", "AuditChainHead", "AuditEntry", "User"]
