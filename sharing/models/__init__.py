from .alerts import Notification, SavedSearch
from .inquiries import Deal, Inquiry, InquiryMessage
from .listings import Listing, ListingAttachment
from .matches import BackgroundJob, ListingMatchState, Match
from .moderation import Complaint, ModerationDecision

__all__ = [
    "BackgroundJob",
    "Complaint",
    "Deal",
    "Inquiry",
    "InquiryMessage",
    "Listing",
    "ListingAttachment",
    "ListingMatchState",
    "Match",
    "ModerationDecision",
    "Notification",
    "SavedSearch",
]
