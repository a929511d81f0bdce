from .geography import Region
from .industry import IndustryCode
from .places import Cluster, Park

__all__ = ["Cluster", "IndustryCode", "Park", "Region"]
