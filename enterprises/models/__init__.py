from .audit import AuditEntry
from .enterprise import Certification, ContactPerson, Enterprise
from .membership import Invitation, JoinRequest, Membership

__all__ = [
    "AuditEntry",
    "Certification",
    "ContactPerson",
    "Enterprise",
    "Invitation",
    "JoinRequest",
    "Membership",
]
