from .audit import AuditEntry, AuditHead
from .enterprise import Certification, ContactPerson, Enterprise
from .membership import Invitation, JoinRequest, Membership

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Certification",
    "ContactPerson",
    "Enterprise",
    "Invitation",
    "JoinRequest",
    "Membership",
]
