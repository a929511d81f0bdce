from .listings import Listing, ListingAttachment
from .moderation import Complaint, ModerationDecision

__all__ = ["Complaint", "Listing", "ListingAttachment", "ModerationDecision"]
